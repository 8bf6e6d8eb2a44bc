package kv.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 for fault injection between Raft peers: everything sent to the
 * listening port goes to the target port and back. {@link #block} cuts every connection and
 * refuses new ones (the target looks unreachable to whoever connects through the proxy) until
 * {@link #unblock}; {@link #refuseFrom} does so only for connections from some processes
 * ({@link SocketOwners}), so a set of proxies makes a network partition between processes.
 * Test code; thread-safe.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** The process that opened each accepted connection (-1: not found among the candidates). */
  private final java.util.Map<Socket, Long> owners = new ConcurrentHashMap<>();
  private volatile boolean blocked;
  private volatile Set<Long> refused = Set.of();
  private volatile java.util.function.Supplier<java.util.Collection<Long>> candidates = Set::of;

  TcpProxy(int listenPort, int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 50);
    daemon(this::accept, "proxy-accept-" + listenPort);
  }

  int port() {
    return listener.getLocalPort();
  }

  void block() {
    blocked = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  void unblock() {
    blocked = false;
  }

  /**
   * Which processes may open connections through this proxy: it looks each connection's owner up
   * among {@code pids} (the processes of the test, asked again at every connection).
   */
  void watch(java.util.function.Supplier<java.util.Collection<Long>> pids) {
    candidates = pids;
  }

  /** Cuts the connections of the processes {@code pids} and refuses theirs until they change. */
  void refuseFrom(Set<Long> pids) {
    refused = Set.copyOf(pids);
    for (java.util.Map.Entry<Socket, Long> e : owners.entrySet()) {
      if (refused.contains(e.getValue())) {
        closeQuietly(e.getKey());
      }
    }
  }

  /** Heals: every process may connect again. */
  void refuseNone() {
    refused = Set.of();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (blocked) {
        closeQuietly(client);
        continue;
      }
      java.util.Collection<Long> pids = candidates.get();
      long owner = pids.isEmpty() ? -1 : SocketOwners.owner(client.getPort(), listener.getLocalPort(), pids).orElse(-1);
      if (refused.contains(owner)) {
        closeQuietly(client);
        continue;
      }
      Socket upstream;
      try {
        upstream = new Socket(InetAddress.getLoopbackAddress(), target);
      } catch (IOException e) {
        closeQuietly(client);
        continue;
      }
      open.add(client);
      open.add(upstream);
      owners.put(client, owner);
      daemon(() -> pump(client, upstream), "proxy-up");
      daemon(() -> pump(upstream, client), "proxy-down");
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (blocked) {
          break;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
      owners.remove(from);
      owners.remove(to);
    }
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    block();
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
