package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Outcome;
import kv.broker.eventual.EventualEngine;
import kv.broker.eventual.RealCluster;
import kv.broker.testing.Await;
import kv.broker.transport.netty.IoThreads;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import kv.server.KvServer;
import kv.server.ServerConfig;
import kv.server.durable.DurableConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Catch-up against three real in-process kvServers (k = 2): a server restarted empty on its port
 * (a wiped server with a new instance id) is resynced from its partners before it is trusted.
 */
class CatchUpIntegrationTest {
  private final RealCluster cluster = new RealCluster(3, 2);
  private final RecordParser parser = new RecordParser();

  @AfterEach
  void close() {
    cluster.close();
  }

  private List<String> keysOn(int server, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      String key = "user" + i;
      if (cluster.replicas(key).contains(cluster.address(server))) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void aWipedServerIsResyncedAndServesTheNewValuesOnceItsPartnersAreGone() throws Exception {
    List<String> keys = keysOn(0, 40);
    for (String key : keys) {
      assertThat(cluster.put(key + " : { \"v\" : 1 }")).isEqualTo(new Outcome.Written(key, 2, 2));
    }
    cluster.stop(0);
    for (String key : keys) {
      assertThat(cluster.put(key + " : { \"v\" : 2 ; \"name\" : \"" + key + "\" }")).isEqualTo(new Outcome.Written(key, 1, 2));
    }
    assertThat(cluster.delete(keys.get(0))).isInstanceOf(Outcome.Refused.class);

    cluster.restart(0);
    cluster.awaitCaughtUp(0);
    assertThat(cluster.status(0).records()).isEqualTo(40);
    cluster.stop(1);
    cluster.stop(2);
    for (String key : keys) {
      assertThat(cluster.get(key))
          .isEqualTo(new Outcome.Found(parser.parseRecord(key + " : { \"v\" : 2 ; \"name\" : \"" + key + "\" }")));
    }
  }

  @Test
  void aDeletedKeyStaysDeletedAfterAWipedReplicaIsResynced() throws Exception {
    List<String> keys = keysOn(1, 5);
    for (String key : keys) {
      cluster.put(key + " : { \"v\" : 1 }");
    }
    assertThat(cluster.delete(keys.get(0))).isEqualTo(new Outcome.Deleted(keys.get(0)));
    cluster.stop(1);
    cluster.restart(1);
    cluster.awaitCaughtUp(1);
    cluster.stop(0);
    cluster.stop(2);
    assertThat(cluster.get(keys.get(0))).isEqualTo(new Outcome.NotFound(keys.get(0)));
    for (String key : keys.subList(1, keys.size())) {
      assertThat(cluster.get(key)).isInstanceOf(Outcome.Found.class);
    }
  }

  @Test
  void aNewBrokerResyncsInTheBackgroundAServerThatMissedWritesUnderAnOldOne(@TempDir Path dir) throws Exception {
    KvServer[] durable = new KvServer[3];
    List<ServerAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      durable[i] = KvServer.start(ServerConfig.defaults().withDurable(DurableConfig.of(dir.resolve("s" + i))));
      addresses.add(new ServerAddress("127.0.0.1", durable[i].port()));
    }
    BrokerConfig config = BrokerConfig.of(addresses, "durable servers", 2).with(c -> {
      c.heartbeatInterval = Duration.ofMillis(100);
      c.infoInterval = Duration.ofMillis(500);
      c.minBackoff = Duration.ofMillis(50);
      c.maxBackoff = Duration.ofMillis(400);
    });
    try {
      List<String> keys = new ArrayList<>();
      Placement placement = new Placement(addresses, 2);
      for (int i = 0; keys.size() < 40; i++) {
        if (placement.replicas("d" + i).contains(addresses.get(0))) {
          keys.add("d" + i);
        }
      }
      try (IoThreads io = IoThreads.start(); EventualEngine old = EventualEngine.start(config, io)) {
        for (String key : keys) {
          old.put(parser.parseRecord(key + " : { \"v\" : 1 }")).get(10, TimeUnit.SECONDS);
        }
        int port = durable[0].port();
        durable[0].close();
        Await.until("server 0 DOWN", () -> !old.status().servers().get(0).up());
        for (String key : keys) {
          old.put(parser.parseRecord(key + " : { \"v\" : 2 }")).get(10, TimeUnit.SECONDS);
        }
        // The old broker goes away with its hints; server 0 comes back with its old data.
        old.close();
        durable[0] = KvServer.start(ServerConfig.defaults().withPort(port).withDurable(DurableConfig.of(dir.resolve("s0"))));
      }
      try (IoThreads io = IoThreads.start(); EventualEngine fresh = EventualEngine.start(config, io); Jedis direct = new Jedis("127.0.0.1", durable[0].port())) {
        assertThat(fresh.status().servers().get(0).catchingUp()).as("a server with data is trusted at once").isFalse();
        Await.until("server 0 resynced in the background", Duration.ofSeconds(20), () -> keys.stream().allMatch(
            key -> ((String) RespValue.text(direct.sendCommand(RealCluster.Cmd.GET, key))).contains("2")));
      }
    } finally {
      Arrays.stream(durable).forEach(KvServer::close);
    }
  }

  /** Jedis replies as text. */
  private static final class RespValue {
    static Object text(Object reply) {
      return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : reply;
    }
  }
}
