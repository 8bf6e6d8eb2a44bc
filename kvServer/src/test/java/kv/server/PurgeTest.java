package kv.server;

import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import kv.server.durable.DurableConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** VPURGE: only a tombstone of exactly the given version goes; in memory until the next compaction. */
class PurgeTest {
  @TempDir
  Path tmp;

  @Test
  void removesOnlyATombstoneOfExactlyThatVersion() {
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      send(jedis, Cmd.VPUT, "live", "10", "{ \"v\" : 1 }");
      send(jedis, Cmd.VPUT, "dead", "10", "{ \"v\" : 1 }");
      send(jedis, Cmd.VDEL, "dead", "20");
      send(jedis, Cmd.VDEL, "other", "30");
      assertThat((String) send(jedis, Cmd.INFO)).contains("records:1\r\n", "tombstones:2\r\n");

      assertThat(send(jedis, Cmd.VPURGE, "live", "10")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VPURGE, "dead", "19")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VPURGE, "dead", "21")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VPURGE, "never", "20")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VGET, "dead")).isEqualTo(Arrays.asList(20L, null));

      assertThat(send(jedis, Cmd.VPURGE, "dead", "20")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VPURGE, "dead", "20")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VGET, "dead")).isNull();
      assertThat(send(jedis, Cmd.GET, "dead")).isNull();
      assertThat(send(jedis, Cmd.GET, "live")).isEqualTo("{ \"v\" : 1 }");
      assertThat(send(jedis, Cmd.VGET, "other")).isEqualTo(Arrays.asList(30L, null));
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(1L);
      assertThat((String) send(jedis, Cmd.INFO)).contains("records:1\r\n", "tombstones:1\r\n");

      // The key is now never seen: an older versioned write applies again (the broker's grace period prevents that).
      assertThat(send(jedis, Cmd.VPUT, "dead", "5", "{ \"v\" : 5 }")).isEqualTo(1L);
      assertThat((String) send(jedis, Cmd.INFO)).contains("records:2\r\n", "tombstones:1\r\n");
    }
  }

  @Test
  void badArgumentsAreNamed() {
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      assertThat(ServerFixture.error(jedis, Cmd.VPURGE, "k", "soon"))
          .isEqualTo("ERR version: 'soon' (expected: a 64-bit integer >= 0)");
      assertThat(ServerFixture.error(jedis, Cmd.VPURGE, "k"))
          .isEqualTo("ERR wrong number of arguments for 'vpurge' command (expected: VPURGE key version)");
    }
  }

  @Test
  void aRestartBeforeTheNextCompactionBringsThePurgedTombstoneBack() {
    ServerConfig config = ServerConfig.defaults().withDurable(DurableConfig.of(tmp.resolve("d")));
    try (KvServer server = KvServer.start(config); Jedis jedis = ServerFixture.client(server)) {
      send(jedis, Cmd.VPUT, "k", "10", "{ \"v\" : 1 }");
      send(jedis, Cmd.VDEL, "k", "20");
      assertThat(send(jedis, Cmd.VPURGE, "k", "20")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VGET, "k")).isNull();
    }
    try (KvServer server = KvServer.start(config); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.VGET, "k")).isEqualTo(Arrays.asList(20L, null));
      assertThat((String) send(jedis, Cmd.INFO)).contains("records:0\r\n", "tombstones:1\r\n");
    }
  }

  @Test
  void aCompactionAfterThePurgeDropsTheTombstoneForGood() {
    ServerConfig config = ServerConfig.defaults().withDurable(DurableConfig.of(tmp.resolve("d")).withCompactMinBytes(1));
    try (KvServer server = KvServer.start(config); Jedis jedis = ServerFixture.client(server)) {
      send(jedis, Cmd.VPUT, "k", "10", "{ \"v\" : 1 }");
      send(jedis, Cmd.VDEL, "k", "20");
      assertThat(send(jedis, Cmd.VPURGE, "k", "20")).isEqualTo(1L);
      long before = compactions(jedis);
      // Compactions run one at a time: the second one counted from here started after the purge.
      int[] n = {0};
      ServerFixture.await(Duration.ofSeconds(20), "two compactions after the purge", () -> {
        send(jedis, Cmd.PUT, "filler" + n[0]++, "{}");
        return compactions(jedis) >= before + 2;
      });
    }
    try (KvServer server = KvServer.start(config); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.VGET, "k")).isNull();
      assertThat((String) send(jedis, Cmd.INFO)).contains("tombstones:0\r\n");
      assertThat(send(jedis, Cmd.GET, "filler0")).isEqualTo("{}");
    }
  }

  private static long compactions(Jedis jedis) {
    for (String line : ((String) send(jedis, Cmd.INFO)).split("\r\n")) {
      if (line.startsWith("compactions:")) {
        return Long.parseLong(line.substring("compactions:".length()));
      }
    }
    throw new AssertionError("INFO has no compactions field");
  }
}
