package kv.broker.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free port in front of a real server, for the faults a real server cannot be
 * asked to show: {@link #freeze} stops passing its replies on (a hung process: connections stay
 * open, requests go in, nothing comes back), {@link #trickle} passes them on one byte at a time (a
 * slow link or a server busy writing a long reply); {@link #requestBytes} and {@link #repliedBytes}
 * count what it passed on each way.
 * Thread-safe.
 */
final class FaultyProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong requested = new AtomicLong();
  private final AtomicLong replied = new AtomicLong();
  private volatile boolean frozen;
  private volatile long pauseNanos;
  private volatile Runnable afterEachByte = () -> { };

  FaultyProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on the server's bytes are not passed on (the ones already passed on stay passed). */
  void freeze() {
    frozen = true;
  }

  /**
   * From now on the server's bytes are passed on one at a time, {@code pause} apart, each followed
   * by {@code afterEachByte} (e.g. a test clock moving on).
   */
  void trickle(Duration pause, Runnable afterEachByte) {
    this.afterEachByte = afterEachByte;
    pauseNanos = pause.toNanos();
  }

  /** The bytes of the client's requests passed on to the server so far. */
  long requestBytes() {
    return requested.get();
  }

  /** The bytes of the server's replies passed on to the client so far. */
  long repliedBytes() {
    return replied.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        List<Socket> pair = List.of(client, server);
        InputStream requests = client.getInputStream();
        OutputStream toServer = server.getOutputStream();
        InputStream replies = server.getInputStream();
        OutputStream toClient = client.getOutputStream();
        threads.execute(() -> pump(requests, toServer, false, pair));
        threads.execute(() -> pump(replies, toClient, true, pair));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Copies one direction of one connection; when either side ends, closes both. */
  private void pump(InputStream in, OutputStream out, boolean replies, List<Socket> pair) {
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (replies && frozen) {
          closed.await(); // hung: hold what came and pass nothing on until the proxy closes
          return;
        }
        long pause = replies ? pauseNanos : 0;
        if (pause == 0) {
          out.write(buffer, 0, n);
          out.flush();
          (replies ? replied : requested).addAndGet(n);
          continue;
        }
        for (int i = 0; i < n; i++) {
          out.write(buffer[i]);
          out.flush();
          replied.incrementAndGet();
          afterEachByte.run();
          Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000)); // the simulated slow link, not a wait
        }
      }
    } catch (IOException e) {
      // a side closed: the other pump ends with it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(pair);
    }
  }

  private static void closeQuietly(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    listener.close();
    closeQuietly(sockets);
    threads.shutdownNow();
  }
}
