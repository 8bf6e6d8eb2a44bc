package kv.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.testing.Await;
import kv.broker.testing.TestRequests;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import kv.server.KvServer;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failure detector over real sockets: a real kvServer on port 0, behind a {@link FaultyProxy}
 * when it must hang or trickle, and the Netty transport. What counts as a sign of life is a byte
 * from the server, read by a broker that had the time to read it.
 */
class FailureDetectorTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  /** One I/O thread, so a task on the connector's scheduler occupies the connection's thread. */
  private final IoThreads io = IoThreads.start(1);
  private final NettyConnector connector = new NettyConnector(io, System::nanoTime);
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
    WatchedServer node = new WatchedServer(address, connector, ticks, config, ServerEvents.NONE, System::nanoTime);
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
    WatchedServer node = up(server().port());
    Instant upSince = node.status().since();
    CompletableFuture<CompletableFuture<Resp>> sent = new CompletableFuture<>();
    // The broker's only I/O thread sends a request and is then busy for three timeouts (as when it
    // parses and prints a burst of replies on a starved machine): the server answers at once, but
    // its reply waits in the socket until the thread is free again.
    io.scheduler().execute(() -> {
      sent.complete(node.send(TestRequests.of("ECHO", "x")));
      io.scheduler().execute(() -> occupy(TIMEOUT.multipliedBy(3)));
    });
    assertThat(sent.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo(Resp.Bulk.of("x"));
    assertThat(node.isUp()).isTrue();
    assertThat(node.status().since()).as("UP all along").isEqualTo(upSince);
  }

  @Test
  void aServerStillSendingALongReplyIsNotDown() throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(server().port())) {
      WatchedServer node = up(proxy.port());
      Instant upSince = node.status().since();
      proxy.trickle(Duration.ofMillis(1));
      // About 1 s to come through at a byte a millisecond: over three timeouts for one reply.
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
      proxy.freeze();
      long start = System.nanoTime();
      CompletableFuture<Resp> request = node.send(TestRequests.of("ECHO", "x"));
      Await.until("DOWN after the timeout", Duration.ofSeconds(10), () -> !node.isUp());
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
      assertThat(request).failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class)
          .withMessageContaining("no reply within 300 ms");
      assertThat(node.status().up()).isFalse();
    }
  }

  @Test
  void aServerThatAcceptsButNeverRepliesIsDownAfterTheTimeout() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // The kernel accepts the connection; nobody reads it or answers the INFO handshake.
      WatchedServer node = node(listener.getLocalPort(), TIMEOUT);
      long start = System.nanoTime();
      node.start();
      node.firstContact().get(10, TimeUnit.SECONDS);
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
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

  /** Keeps the calling thread busy for {@code time}: simulated work, not a wait for a condition. */
  private static void occupy(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
