package kv.broker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.ServerStatus;
import kv.broker.testing.Await;
import kv.broker.testing.FakeNetwork;
import kv.broker.testing.FakeServer;
import kv.broker.testing.ManualClock;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The failure detector of one server, against the in-memory network. */
class WatchedServerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private final ManualClock clock = new ManualClock();
  private final FakeNetwork network = new FakeNetwork(clock);
  private final FakeServer server = new FakeServer();
  private final ServerAddress address = network.add(server);
  private final BrokerConfig config = BrokerConfig.of(List.of(address), "test", 1).with(c -> {
    c.timeout = TIMEOUT;
    c.heartbeatInterval = Duration.ofMillis(40);
    c.infoInterval = Duration.ofMillis(150);
    c.minBackoff = Duration.ofMillis(20);
    c.maxBackoff = Duration.ofMillis(160);
  });
  private final WatchedServer node = new WatchedServer(address, network, network.scheduler(), config, ServerEvents.NONE, System::nanoTime,
      new OwedHints());

  @AfterEach
  void close() {
    node.close();
    network.close();
  }

  private void start() throws Exception {
    node.start();
    node.firstContact().get(5, TimeUnit.SECONDS);
  }

  @Test
  void comesUpWithTheInstanceIdAndRecordsFromInfo() throws Exception {
    server.store("a", 1, "{}");
    start();
    assertThat(node.isUp()).isTrue();
    ServerStatus status = node.status();
    assertThat(status.up()).isTrue();
    assertThat(status.instanceId()).isEqualTo(server.instanceId());
    assertThat(status.records()).isEqualTo(1);
    assertThat(node.send(ServerRequests.PING).get(5, TimeUnit.SECONDS)).isEqualTo(new Resp.Simple("PONG"));
  }

  @Test
  void aRefusedServerIsDownAtOnceAndUpWhenItAnswers() throws Exception {
    network.refuse(address);
    start();
    assertThat(node.isUp()).isFalse();
    assertThat(node.status().up()).isFalse();
    assertThat(node.send(ServerRequests.PING)).failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class);

    network.heal(address);
    Await.until("UP after heal", node::isUp);
  }

  @Test
  void aLostConnectionMarksItDownAtOnceAndItReconnects() throws Exception {
    start();
    network.refuse(address);
    assertThat(node.isUp()).isFalse();
    network.heal(address);
    Await.until("UP again", node::isUp);
  }

  @Test
  void aHungServerIsDownAfterTheTimeoutAndItsPendingRequestsFail() throws Exception {
    start();
    Instant upSince = node.status().since();
    network.blackhole(address);
    CompletableFuture<Resp> request = node.send(ServerRequests.vget("x"));
    clock.advance(TIMEOUT.minusMillis(1));
    Await.stays("UP while silent for less than the timeout", Duration.ofMillis(300),
        () -> node.isUp() && node.status().since().equals(upSince));
    assertThat(request).isNotDone();
    clock.advance(Duration.ofMillis(1));
    Await.until("DOWN once silent for the timeout", () -> !node.isUp());
    assertThat(request).failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class)
        .withMessageContaining("no reply within 200 ms");

    network.heal(address);
    Await.until("UP after heal", node::isUp);
  }

  @Test
  void aSlowServerThatKeepsAnsweringADeepPipelineIsNotDown() throws Exception {
    start();
    Instant upSince = node.status().since();
    network.slow(address, Duration.ofMillis(20));
    // 30 requests at once: the last waits 600 ms, three times the timeout, but a reply comes every 20 ms.
    List<CompletableFuture<Resp>> replies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      replies.add(node.send(ServerRequests.PING));
    }
    for (CompletableFuture<Resp> reply : replies) {
      assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo(new Resp.Simple("PONG"));
    }
    assertThat(node.isUp()).isTrue();
    assertThat(node.status().since()).isEqualTo(upSince);
  }

  @Test
  void keepsReconnectingToARefusingServer() throws Exception {
    network.refuse(address);
    start();
    int before = network.connectAttempts(address);
    // the delays themselves (capped exponential) are BackoffTest's; here: attempts go on
    Await.until("three more connection attempts", Duration.ofSeconds(5),
        () -> network.connectAttempts(address) >= before + 3);
  }

  @Test
  void aRestartWithANewInstanceIdIsNoticedAndCounted() throws Exception {
    start();
    String before = node.status().instanceId();
    network.refuse(address);
    server.restart(true);
    network.heal(address);
    Await.until("UP after restart", node::isUp);
    assertThat(node.status().instanceId()).isEqualTo(server.instanceId()).isNotEqualTo(before);
    assertThat(node.restarts()).isEqualTo(1);
    assertThat(node.status().catchingUp()).isFalse();

    // A plain reconnect is not a restart.
    network.refuse(address);
    network.heal(address);
    Await.until("UP after reconnect", node::isUp);
    assertThat(node.restarts()).isEqualTo(1);
  }

  @Test
  void theHeartbeatRefreshesRecords() throws Exception {
    start();
    assertThat(node.status().records()).isZero();
    server.store("a", 1, "{}");
    server.store("b", 1, "{}");
    Await.until("records refreshed", () -> node.status().records() == 2);
  }

  @Test
  void closingFailsWhatIsPendingAndStopsReconnecting() throws Exception {
    start();
    network.blackhole(address);
    CompletableFuture<Resp> request = node.send(ServerRequests.PING);
    node.close();
    assertThat(request).failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class);
    assertThat(node.isUp()).isFalse();
    int attempts = network.connectAttempts(address);
    network.heal(address);
    Awaitility.await("no reconnection after close").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> network.connectAttempts(address) == attempts);
  }
}
