package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** The replication forms VPUT, VDEL, VGET, VQUERY through Jedis against a real server. */
class VersionedCommandsTest {
  private KvServer server;
  private Jedis jedis;

  @BeforeEach
  void start() {
    server = KvServer.start(ServerConfig.defaults());
    jedis = ServerFixture.client(server);
  }

  @AfterEach
  void stop() {
    jedis.close();
    server.close();
  }

  @Test
  void newerVersionWinsAndStaleIsIgnored() {
    assertThat(send(jedis, Cmd.VPUT, "k", "100", "{ \"v\" : 100 }")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.VPUT, "k", "99", "{ \"v\" : 99 }")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.GET, "k")).isEqualTo("{ \"v\" : 100 }");
    assertThat(send(jedis, Cmd.VPUT, "k", "101", "{ \"v\" : 101 }")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.VGET, "k")).isEqualTo(List.of(101L, "{ \"v\" : 101 }"));
  }

  @Test
  void replayIsIdempotent() {
    for (int round = 0; round < 3; round++) {
      long applied = (Long) send(jedis, Cmd.VPUT, "r", "500", "{ \"x\" : 1 }");
      assertThat(applied).isEqualTo(round == 0 ? 1L : 0L);
      long deleted = (Long) send(jedis, Cmd.VDEL, "r", "600");
      assertThat(deleted).isEqualTo(round == 0 ? 1L : 0L);
    }
    assertThat(send(jedis, Cmd.VGET, "r")).isEqualTo(Arrays.asList(600L, null));
    assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(0L);
  }

  @Test
  void tombstoneHidesGetAndBlocksStaleResurrection() {
    send(jedis, Cmd.VPUT, "t", "10", "{ \"name\" : \"Ann\" }");
    assertThat(send(jedis, Cmd.VDEL, "t", "20")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.GET, "t")).isNull();
    assertThat(send(jedis, Cmd.EXISTS, "t")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.KEYS, "t*")).isEqualTo(List.of());
    assertThat(send(jedis, Cmd.VGET, "t")).isEqualTo(Arrays.asList(20L, null));
    assertThat(send(jedis, Cmd.VQUERY, "t.name")).isEqualTo(Arrays.asList(20L, null));
    assertThat(send(jedis, Cmd.VPUT, "t", "15", "{ \"name\" : \"Old\" }")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.VDEL, "t", "19")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.GET, "t")).isNull();
    assertThat(send(jedis, Cmd.VPUT, "t", "21", "{ \"name\" : \"New\" }")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.QUERY, "t.name")).isEqualTo("\"New\"");
  }

  @Test
  void neverSeenKeysAreNullBulk() {
    assertThat(send(jedis, Cmd.VGET, "nothing")).isNull();
    assertThat(send(jedis, Cmd.VQUERY, "nothing.a")).isNull();
    assertThat(send(jedis, Cmd.VDEL, "unseen", "5")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.VGET, "unseen")).isEqualTo(Arrays.asList(5L, null));
  }

  @Test
  void vqueryReturnsTheRecordVersionWithTheValue() {
    send(jedis, Cmd.VPUT, "p2", "77", "{ \"name\" : \"Mary\" ; \"address\" : { \"number\" : 12 } }");
    assertThat(send(jedis, Cmd.VQUERY, "p2.address.number")).isEqualTo(List.of(77L, "12"));
    assertThat(send(jedis, Cmd.VQUERY, "p2.phone")).isEqualTo(Arrays.asList(77L, null));
  }

  @Test
  void plainWritesWinOverOlderReplicatedOnes() {
    long future = (System.currentTimeMillis() + 30_000L) << 20; // ahead, but within the 60 s bound
    send(jedis, Cmd.VPUT, "mix", Long.toString(future), "{ \"from\" : \"replica\" }");
    assertThat(send(jedis, Cmd.PUT, "mix", "{ \"from\" : \"plain\" }")).isEqualTo("OK");
    @SuppressWarnings("unchecked")
    List<Object> after = (List<Object>) send(jedis, Cmd.VGET, "mix");
    assertThat((Long) after.get(0)).isGreaterThan(future);
    assertThat(after.get(1)).isEqualTo("{ \"from\" : \"plain\" }");
    assertThat(send(jedis, Cmd.DELETE, "mix")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.VPUT, "mix", Long.toString(future + 1), "{}")).isEqualTo(0L);
  }

  /** Issue 12, scenario 6: a forged version far ahead is refused, whoever sends it, and poisons nothing. */
  @Test
  void aVersionFarAheadOfTheServersClockIsRefusedAndNothingIsApplied() {
    String error = error(jedis, Cmd.VPUT, "k", Long.toString(Long.MAX_VALUE), "{}");
    assertThat(error).startsWith("ERR version: 9223372036854775807 is from 2248-09-26T15:10:22.207Z, ")
        .contains(" ms ahead of this server's clock (20")
        .endsWith("(expected: at most 60000 ms ahead, the --max-clock-skew-ms bound); nothing was applied");
    long hourAhead = (System.currentTimeMillis() + 3_600_000L) << 20;
    assertThat(error(jedis, Cmd.VDEL, "k", Long.toString(hourAhead))).startsWith("ERR version: " + hourAhead + " is from ");
    assertThat(send(jedis, Cmd.VGET, "k")).isNull();

    // The server's clock was not moved: a plain write gets a version of about now, and VPUT works.
    long before = System.currentTimeMillis();
    assertThat(send(jedis, Cmd.PUT, "k", "{ \"v\" : 1 }")).isEqualTo("OK");
    @SuppressWarnings("unchecked")
    long version = (Long) ((List<Object>) send(jedis, Cmd.VGET, "k")).get(0);
    assertThat(version >>> 20).isBetween(before, System.currentTimeMillis());
    assertThat(send(jedis, Cmd.VPUT, "k", Long.toString(version + 1), "{ \"v\" : 2 }")).isEqualTo(1L);
  }

  @Test
  void theBoundIsConfigurable() {
    try (KvServer strict = KvServer.start(ServerConfig.defaults().withMaxClockSkewMillis(1_000));
        Jedis client = ServerFixture.client(strict)) {
      long fiveSecondsAhead = (System.currentTimeMillis() + 5_000) << 20;
      assertThat(error(client, Cmd.VPUT, "k", Long.toString(fiveSecondsAhead), "{}"))
          .contains("(expected: at most 1000 ms ahead, the --max-clock-skew-ms bound)");
      assertThat(send(jedis, Cmd.VPUT, "k", Long.toString(fiveSecondsAhead), "{}")).as("the default allows 60 s")
          .isEqualTo(1L);
    }
  }

  @Test
  void badVersionsAndSetsAreErrors() {
    assertThat(error(jedis, Cmd.VPUT, "k", "abc", "{}")).startsWith("ERR version: 'abc' (expected:");
    assertThat(error(jedis, Cmd.VPUT, "k", "-1", "{}")).startsWith("ERR version: '-1'");
    assertThat(error(jedis, Cmd.VDEL, "k", "1.5")).startsWith("ERR version: '1.5'");
    assertThat(error(jedis, Cmd.VPUT, "k", "1", "\"k\" : {}")).startsWith("ERR invalid value: ");
    assertThat(send(jedis, Cmd.VGET, "k")).isNull();
  }

  @Test
  void aPackedSetIsCheckedThenStoredAsTheSameSetItsTextWouldBe() throws Exception {
    SetValue set = new RecordParser().parseSet("{ \"name\" : \"John\" ; \"address\" : { \"number\" : 12.5 } ; \"tags\" : [1, null] }");
    byte[] packed = set.toPacked();
    assertThat(jedis.sendCommand(Cmd.VPUT, bytes("p"), bytes("7"), packed, bytes("PACKED"))).isEqualTo(1L);
    assertThat(send(jedis, Cmd.GET, "p")).isEqualTo(RecordPrinter.print(set));
    assertThat(send(jedis, Cmd.VGET, "p")).isEqualTo(List.of(7L, RecordPrinter.print(set)));
    assertThat(jedis.sendCommand(Cmd.VPUT, bytes("p"), bytes("6"), packed, bytes("packed"), bytes("WITHVERSION")))
        .isEqualTo(List.of(0L, 7L));

    byte[] cut = Arrays.copyOf(packed, packed.length - 1);
    assertThatThrownBy(() -> jedis.sendCommand(Cmd.VPUT, bytes("q"), bytes("1"), cut, bytes("PACKED")))
        .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR invalid value: packed set: ");
    byte[] text = bytes(RecordPrinter.print(set));
    assertThatThrownBy(() -> jedis.sendCommand(Cmd.VPUT, bytes("q"), bytes("1"), text, bytes("PACKED")))
        .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR invalid value: packed set: ");
    assertThat(send(jedis, Cmd.VGET, "q")).isNull();
    assertThat(error(jedis, Cmd.VDEL, "p", "8", "PACKED")).startsWith("ERR VDEL option: 'PACKED' (expected: WITHVERSION or HINT");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
