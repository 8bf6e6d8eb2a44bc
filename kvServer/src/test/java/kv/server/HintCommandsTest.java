package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import kv.server.durable.DurableConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Issue 12 on the server: durable hints (a replica records which servers are owed a key, with the
 * write, and any broker lists, replays and deletes them), a stale write told with the stored
 * version, equal versions settled by one tie-break, and the caught-up mark a broker sets.
 */
class HintCommandsTest {
  @TempDir
  Path tmp;

  private static ServerConfig persistent(Path dir) {
    return ServerConfig.defaults().withDurable(DurableConfig.of(dir));
  }

  @Test
  void aWriteCarriesHintsForTheServersThatMissedItAndAnyBrokerListsAndDeletesThem() {
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.VPUT, "a", "100", "{ \"v\" : 1 }", "HINT", "10.0.0.2:9002")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VDEL, "b", "101", "HINT", "10.0.0.2:9002", "10.0.0.3:9003")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VHINT, "c", "102", "10.0.0.2:9002")).isEqualTo(1L);
      // a newer hint for the same key replaces the older one
      assertThat(send(jedis, Cmd.VPUT, "a", "103", "{ \"v\" : 2 }", "HINT", "10.0.0.2:9002")).isEqualTo(1L);

      assertThat(send(jedis, Cmd.VHINTS, "10.0.0.2:9002", "0"))
          .isEqualTo(List.of("0", List.of("a", 103L, "b", 101L, "c", 102L)));
      assertThat(send(jedis, Cmd.VHINTS, "10.0.0.3:9003", "0")).isEqualTo(List.of("0", List.of("b", 101L)));
      List<?> page = (List<?>) send(jedis, Cmd.VHINTS, "10.0.0.2:9002", "0", "COUNT", "2");
      assertThat(page.get(1)).isEqualTo(List.of("a", 103L, "b", 101L));
      assertThat(send(jedis, Cmd.VHINTS, "10.0.0.2:9002", (String) page.get(0)))
          .isEqualTo(List.of("0", List.of("c", 102L)));
      String info = (String) send(jedis, Cmd.INFO);
      assertThat(info).contains("hints:4\r\n", "hinted_servers:10.0.0.2:9002=3,10.0.0.3:9003=1\r\n");
      assertThat(send(jedis, Cmd.VHINTED, "b")).isEqualTo(2L);

      // deleting a hint needs a version at least as new as the one held
      assertThat(send(jedis, Cmd.VHINTDEL, "10.0.0.2:9002", "a", "100")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VHINTDEL, "10.0.0.2:9002", "a", "103")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VHINTDEL, "10.0.0.2:9002", "a", "103")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.VHINTS, "10.0.0.2:9002", "0")).isEqualTo(List.of("0", List.of("b", 101L, "c", 102L)));
      assertThat(send(jedis, Cmd.VHINTS, "10.0.0.4:9004", "0")).isEqualTo(List.of("0", List.of()));

      assertThat(error(jedis, Cmd.VPUT, "a", "104", "{ }", "HINT")).contains("HINT").contains("expected");
      assertThat(error(jedis, Cmd.VPUT, "a", "104", "{ }", "HINT", "nonsense")).contains("nonsense")
          .contains("ip:port");
      assertThat(error(jedis, Cmd.VPUT, "a", "104", "{ }", "LATER")).contains("LATER");
    }
  }

  @Test
  void aTombstoneIsNotPurgedWhileAHintForItsKeyIsHeld() {
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      send(jedis, Cmd.VDEL, "gone", "50", "HINT", "10.0.0.2:9002");
      assertThat(send(jedis, Cmd.VPURGE, "gone", "50")).isEqualTo(0L);
      send(jedis, Cmd.VHINTDEL, "10.0.0.2:9002", "gone", "50");
      assertThat(send(jedis, Cmd.VPURGE, "gone", "50")).isEqualTo(1L);
    }
  }

  @Test
  void hintsSurviveARestart() {
    Path dir = tmp.resolve("data");
    try (KvServer server = KvServer.start(persistent(dir)); Jedis jedis = ServerFixture.client(server)) {
      send(jedis, Cmd.VPUT, "a", "100", "{ \"v\" : 1 }", "HINT", "10.0.0.2:9002");
      send(jedis, Cmd.VPUT, "b", "100", "{ \"v\" : 1 }", "HINT", "10.0.0.2:9002");
      send(jedis, Cmd.VHINTDEL, "10.0.0.2:9002", "b", "100");
    }
    try (KvServer server = KvServer.start(persistent(dir)); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.VHINTS, "10.0.0.2:9002", "0")).isEqualTo(List.of("0", List.of("a", 100L)));
      assertThat(send(jedis, Cmd.GET, "a")).isEqualTo("{ \"v\" : 1 }");
    }
  }

  @Test
  void aFullResyncIsRememberedAcrossRestartsAndTheCaughtUpMarkIsNot() {
    Path dir = tmp.resolve("marked");
    try (KvServer server = KvServer.start(persistent(dir)); Jedis jedis = ServerFixture.client(server)) {
      assertThat((String) send(jedis, Cmd.INFO)).contains("caught_up:0\r\n", "resynced:0\r\n");
      assertThat(error(jedis, Cmd.VCAUGHTUP, server.instanceId(), "LATER")).contains("LATER").contains("RESYNCED");
      assertThat(send(jedis, Cmd.VCAUGHTUP, server.instanceId(), "RESYNCED")).isEqualTo("OK");
      assertThat((String) send(jedis, Cmd.INFO)).contains("caught_up:1\r\n", "resynced:1\r\n");
    }
    try (KvServer server = KvServer.start(persistent(dir)); Jedis jedis = ServerFixture.client(server)) {
      assertThat((String) send(jedis, Cmd.INFO)).contains("caught_up:0\r\n", "resynced:1\r\n", "hints:0\r\n");
    }
  }

  @Test
  void aServerIsNotCaughtUpAfterItStartsUntilABrokerSaysSo() {
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      assertThat((String) send(jedis, Cmd.INFO)).contains("caught_up:0\r\n");
      assertThat(error(jedis, Cmd.VCAUGHTUP, "0123")).contains("0123").contains(server.instanceId());
      assertThat(send(jedis, Cmd.VCAUGHTUP, server.instanceId())).isEqualTo("OK");
      assertThat((String) send(jedis, Cmd.INFO)).contains("caught_up:1\r\n", "resynced:0\r\n");
    }
  }

  /** Scenario 4: with WITHVERSION a stale write is answered with the version that won. */
  @Test
  void aStaleWriteAsksForTheStoredVersion() {
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.VPUT, "k", "100", "{ \"v\" : 1 }", "WITHVERSION")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VPUT, "k", "90", "{ \"v\" : 0 }", "WITHVERSION")).isEqualTo(List.of(0L, 100L));
      assertThat(send(jedis, Cmd.VDEL, "k", "95", "WITHVERSION")).isEqualTo(List.of(0L, 100L));
      assertThat(send(jedis, Cmd.VPUT, "k", "90", "{ \"v\" : 0 }")).isEqualTo(0L); // the plain form as before
      assertThat(send(jedis, Cmd.VDEL, "k", "110", "WITHVERSION", "HINT", "10.0.0.2:9002")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VPUT, "k", "105", "{ }", "WITHVERSION", "HINT", "10.0.0.3:9003"))
          .isEqualTo(List.of(0L, 110L));
      assertThat(send(jedis, Cmd.VHINTED, "k")).isEqualTo(2L); // a stale write still records its hint
    }
  }

  /**
   * Scenario 5: two writers issued the same version with different values; every server keeps
   * the same one whatever the order (a tombstone beats a value; between values the greater text).
   */
  @Test
  void equalVersionsSettleOnTheSameWinnerInAnyOrder() {
    try (KvServer one = KvServer.start(ServerConfig.defaults()); Jedis a = ServerFixture.client(one);
        KvServer two = KvServer.start(ServerConfig.defaults()); Jedis b = ServerFixture.client(two)) {
      assertThat(send(a, Cmd.VPUT, "t", "100", "{ \"v\" : \"a\" }")).isEqualTo(1L);
      assertThat(send(a, Cmd.VPUT, "t", "100", "{ \"v\" : \"b\" }")).isEqualTo(1L);
      assertThat(send(b, Cmd.VPUT, "t", "100", "{ \"v\" : \"b\" }")).isEqualTo(1L);
      assertThat(send(b, Cmd.VPUT, "t", "100", "{ \"v\" : \"a\" }", "WITHVERSION")).isEqualTo(List.of(0L, 100L));
      assertThat(send(a, Cmd.VGET, "t")).isEqualTo(send(b, Cmd.VGET, "t"));
      assertThat(send(a, Cmd.VGET, "t")).isEqualTo(List.of(100L, "{ \"v\" : \"b\" }"));
      assertThat(send(a, Cmd.VPUT, "t", "100", "{ \"v\" : \"b\" }")).isEqualTo(0L); // the same write again

      assertThat(send(a, Cmd.VDEL, "t", "100")).isEqualTo(1L);
      assertThat(send(b, Cmd.VDEL, "t", "100")).isEqualTo(1L);
      assertThat(send(a, Cmd.VPUT, "t", "100", "{ \"v\" : \"c\" }")).isEqualTo(0L);
      assertThat(send(a, Cmd.VGET, "t")).isEqualTo(Arrays.asList(100L, null));
      assertThat(send(b, Cmd.VGET, "t")).isEqualTo(Arrays.asList(100L, null));
    }
  }
}
