package kv.broker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.testing.Await;
import kv.broker.testing.ManualClock;
import kv.broker.testing.TestRequests;
import kv.broker.transport.TransportException;
import kv.broker.transport.netty.IoThreads;
import kv.broker.transport.netty.NettyConnector;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import kv.server.KvServer;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failure detector over real sockets: a real kvServer on port 0, behind a {@link FaultyProxy}
 * when it must hang or trickle, and the Netty transport. What counts as a sign of life is a byte
 * from the server, read by a broker that had the time to read it. Silences are measured on a
 * {@link ManualClock} that only the test moves, so a busy or paused machine cannot make a live
 * server look silent, and no test waits for the timeout to pass.
 */
class FailureDetectorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();
  /** One I/O thread, so a task on its scheduler occupies the connection's thread. */
  private final IoThreads io = IoThreads.start(1);
  private final NettyConnector connector = new NettyConnector(io, clock);
  /** The nodes' ticks run elsewhere, as they do on a broker whose servers' channels live on other threads. */
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable r = resources.pollLast(); r != null; r = resources.pollLast()) {
      r.close();
    }
    ticks.shutdownNow();
    connector.close();
    io.close();
  }

  private KvServer server() {
    KvServer server = KvServer.start(ServerConfig.defaults());
    resources.add(server);
    return server;
  }

  private WatchedServer node(int port, Duration timeout) {
    ServerAddress address = new ServerAddress("127.0.0.1", port);
    BrokerConfig config = BrokerConfig.of(List.of(address), "test", 1).with(c -> {
      c.timeout = timeout;
      c.heartbeatInterval = Duration.ofMillis(50);
      c.infoInterval = Duration.ofSeconds(5);
      c.minBackoff = Duration.ofMillis(50);
      c.maxBackoff = Duration.ofMillis(200);
    });
    WatchedServer node = new WatchedServer(address, connector, ticks, config, ServerEvents.NONE, clock, new OwedHints());
    resources.add(node::close);
    return node;
  }

  private WatchedServer up(int port) throws Exception {
    WatchedServer node = node(port, TIMEOUT);
    node.start();
    node.firstContact().get(10, TimeUnit.SECONDS);
    assertThat(node.isUp()).as("UP at first contact").isTrue();
    return node;
  }

  @Test
  void aBrokerTooBusyToReadDoesNotBlameTheServer() throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(server().port())) {
      WatchedServer node = up(proxy.port());
      Instant upSince = node.status().since();
      long before = proxy.repliedBytes();
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch free = new CountDownLatch(1);
      CompletableFuture<CompletableFuture<Resp>> sent = new CompletableFuture<>();
      // The broker's only I/O thread sends a request and is then busy (as when it parses and
      // prints a burst of replies on a starved machine) for three timeouts: the server answers at
      // once, but its reply waits in the socket until the thread is free again.
      io.scheduler().execute(() -> {
        sent.complete(node.send(TestRequests.of("ECHO", "x")));
        io.scheduler().execute(() -> {
          busy.countDown();
          awaitQuietly(free);
        });
      });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      Await.until("the reply is in the broker's socket", () -> proxy.repliedBytes() > before);
      clock.advance(TIMEOUT.multipliedBy(3));
      free.countDown();
      assertThat(sent.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo(Resp.Bulk.of("x"));
      assertThat(node.isUp()).isTrue();
      assertThat(node.status().since()).as("UP all along").isEqualTo(upSince);
    }
  }

  @Test
  void aServerStillSendingALongReplyIsNotDown() throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(server().port())) {
      WatchedServer node = up(proxy.port());
      Instant upSince = node.status().since();
      // A byte every third of the timeout: the 1000-byte reply takes over 300 timeouts to come through.
      proxy.trickle(Duration.ofMillis(1), () -> clock.advance(TIMEOUT.dividedBy(3)));
      String big = "x".repeat(1000);
      assertThat(node.send(TestRequests.of("ECHO", big)).get(30, TimeUnit.SECONDS)).isEqualTo(Resp.Bulk.of(big));
      assertThat(node.isUp()).isTrue();
      assertThat(node.status().since()).as("UP all along").isEqualTo(upSince);
    }
  }

  @Test
  void aHungServerIsDownAfterTheTimeoutAndItsRequestsFail() throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(server().port())) {
      WatchedServer node = up(proxy.port());
      Instant upSince = node.status().since();
      proxy.freeze();
      long before = proxy.requestBytes();
      CompletableFuture<Resp> request = node.send(TestRequests.of("ECHO", "x"));
      Await.until("the request is on its way to the server", () -> proxy.requestBytes() > before);
      clock.advance(TIMEOUT.minusMillis(1));
      Await.stays("UP while silent for less than the timeout", Duration.ofMillis(500),
          () -> node.isUp() && node.status().since().equals(upSince));
      clock.advance(Duration.ofMillis(1));
      Await.until("DOWN once silent for the timeout", Duration.ofSeconds(10), () -> !node.isUp());
      assertThat(request).failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class)
          .withMessageContaining("no reply within " + TIMEOUT.toMillis() + " ms");
      assertThat(node.status().up()).isFalse();
    }
  }

  @Test
  void aServerThatAcceptsButNeverRepliesIsDownAfterTheTimeout() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // A server that accepts the connection and reads the INFO handshake but never answers it.
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> acceptAndRead(listener));
      WatchedServer node = node(listener.getLocalPort(), TIMEOUT);
      node.start();
      resources.add(accepted.get(10, TimeUnit.SECONDS));
      clock.advance(TIMEOUT.minusMillis(1));
      Await.stays("undecided while silent for less than the timeout", Duration.ofMillis(500),
          () -> !node.firstContact().isDone());
      clock.advance(Duration.ofMillis(1));
      node.firstContact().get(10, TimeUnit.SECONDS);
      assertThat(node.isUp()).isFalse();
      assertThat(node.status().up()).isFalse();
    }
  }

  @Test
  void aStoppedServerIsDownAtOnceNotAfterTheTimeout() throws Exception {
    KvServer server = server();
    WatchedServer node = node(server.port(), Duration.ofSeconds(60));
    node.start();
    node.firstContact().get(10, TimeUnit.SECONDS);
    assertThat(node.isUp()).isTrue();
    server.close();
    Await.until("DOWN when the connection closes, long before the 60 s timeout", Duration.ofSeconds(10),
        () -> !node.isUp());
  }

  @Test
  void aRefusedConnectionIsDownAtOnceNotAfterTheTimeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    WatchedServer node = node(port, Duration.ofSeconds(60));
    node.start();
    node.firstContact().get(10, TimeUnit.SECONDS); // refused: decided long before the 60 s timeout
    assertThat(node.isUp()).isFalse();
    assertThat(node.status().up()).isFalse();
  }

  /** Accepts one connection and reads its first bytes (the handshake), answering nothing. */
  private static Socket acceptAndRead(ServerSocket listener) {
    try {
      Socket socket = listener.accept();
      if (socket.getInputStream().read() < 0) {
        throw new IllegalStateException("the broker closed the connection before its handshake");
      }
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the calling thread busy until released: the broker's I/O thread at work. */
  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
