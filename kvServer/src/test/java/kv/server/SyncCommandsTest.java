package kv.server;

import static kv.server.ServerFixture.send;
import static kv.server.ServerFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/** The anti-entropy forms VKEYS, VVERSIONS and VSCAN through Jedis against a real server. */
class SyncCommandsTest {
  enum Sync implements ProtocolCommand {
    VKEYS, VVERSIONS, VSCAN;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

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
  void vkeysWalksEveryKeyWithItsVersionTombstonesIncludedInPages() {
    TreeMap<String, Long> expected = new TreeMap<>();
    for (int i = 0; i < 25; i++) {
      String key = "key" + i;
      send(jedis, Cmd.VPUT, key, Long.toString(100 + i), "{ \"i\" : " + i + " }");
      expected.put(key, 100L + i);
    }
    send(jedis, Cmd.VDEL, "key7", "500");
    expected.put("key7", 500L);

    TreeMap<String, Long> seen = new TreeMap<>();
    List<String> order = new ArrayList<>();
    String cursor = "0";
    int pages = 0;
    do {
      List<?> reply = (List<?>) text(jedis.sendCommand(Sync.VKEYS, cursor, "COUNT", "10"));
      cursor = (String) reply.get(0);
      List<?> items = (List<?>) reply.get(1);
      assertThat(items.size()).isLessThanOrEqualTo(20);
      for (int i = 0; i < items.size(); i += 2) {
        order.add((String) items.get(i));
        assertThat(seen.put((String) items.get(i), (Long) items.get(i + 1))).isNull();
      }
      pages++;
    } while (!cursor.equals("0"));
    assertThat(seen).isEqualTo(expected);
    assertThat(order).isSorted();
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void vkeysOfAnEmptyServerIsOnePageAndBadArgumentsAreNamed() {
    assertThat(text(jedis.sendCommand(Sync.VKEYS, "0"))).isEqualTo(List.of("0", List.of()));
    assertThat(errorOf(Sync.VKEYS, "zz!")).contains("cursor: 'zz!'");
    assertThat(errorOf(Sync.VKEYS, "0", "COUNT", "0")).contains("COUNT: '0'");
    assertThat(errorOf(Sync.VKEYS, "0", "LIMIT", "5")).contains("VKEYS cursor [COUNT n]");
  }

  @Test
  void vversionsAnswersMinusOneForAKeyNeverSeen() {
    send(jedis, Cmd.VPUT, "a", "10", "{ \"x\" : 1 }");
    send(jedis, Cmd.VPUT, "b", "20", "{ \"x\" : 1 }");
    send(jedis, Cmd.VDEL, "b", "30");
    assertThat(text(jedis.sendCommand(Sync.VVERSIONS, "a", "b", "c"))).isEqualTo(List.of(10L, 30L, -1L));
  }

  @Test
  void vscanPagesThroughAPrefixWithVersionsAndLivenessAndResumesAfterAnyKey() {
    for (int i = 0; i < 12; i++) {
      send(jedis, Cmd.VPUT, "p" + i, Long.toString(100 + i), "{}");
    }
    send(jedis, Cmd.VPUT, "q1", "50", "{}");
    send(jedis, Cmd.VDEL, "p3", "400");

    List<Object> seen = new ArrayList<>();
    String cursor = "0";
    int pages = 0;
    do {
      List<?> reply = (List<?>) text(jedis.sendCommand(Sync.VSCAN, cursor, "MATCH", "p*", "COUNT", "5"));
      cursor = (String) reply.get(0);
      List<?> items = (List<?>) reply.get(1);
      assertThat(items.size()).isLessThanOrEqualTo(15);
      seen.addAll(items);
      pages++;
    } while (!cursor.equals("0"));
    assertThat(pages).isEqualTo(3);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < seen.size(); i += 3) {
      keys.add((String) seen.get(i));
    }
    assertThat(keys).isSorted().hasSize(12).doesNotContain("q1");
    int p3 = keys.indexOf("p3") * 3;
    assertThat(seen.subList(p3, p3 + 3)).isEqualTo(List.of("p3", 400L, 0L));
    int p10 = keys.indexOf("p10") * 3;
    assertThat(seen.subList(p10, p10 + 3)).isEqualTo(List.of("p10", 110L, 1L));

    // The cursor is the hex of the key to resume after: the broker may start after any key.
    String afterP5 = java.util.HexFormat.of().formatHex("p5".getBytes(StandardCharsets.UTF_8));
    List<?> rest = (List<?>) text(jedis.sendCommand(Sync.VSCAN, afterP5, "MATCH", "p*", "COUNT", "100"));
    assertThat(rest.get(0)).isEqualTo("0");
    assertThat(rest.get(1)).isEqualTo(List.of("p6", 106L, 1L, "p7", 107L, 1L, "p8", 108L, 1L, "p9", 109L, 1L));
  }

  @Test
  void vscanOfAnExactKeyAnswersThatKeyOnlyAndBadArgumentsAreNamed() {
    send(jedis, Cmd.VPUT, "p1", "10", "{}");
    send(jedis, Cmd.VPUT, "p10", "11", "{}");
    assertThat(text(jedis.sendCommand(Sync.VSCAN, "0", "MATCH", "p1"))).isEqualTo(List.of("0", List.of("p1", 10L, 1L)));
    assertThat(text(jedis.sendCommand(Sync.VSCAN, "0", "MATCH", "p2"))).isEqualTo(List.of("0", List.of()));
    assertThat(text(jedis.sendCommand(Sync.VSCAN, "0"))).isEqualTo(List.of("0", List.of("p1", 10L, 1L, "p10", 11L, 1L)));
    assertThat(errorOf(Sync.VSCAN, "0", "MATCH", "p?x")).contains("pattern: 'p?x' is not supported");
    assertThat(errorOf(Sync.VSCAN, "0", "COUNT", "0")).contains("COUNT: '0'");
    assertThat(errorOf(Sync.VSCAN, "0", "COUNT")).contains("VSCAN cursor [MATCH prefix*] [COUNT n]");
    assertThat(errorOf(Sync.VSCAN, "0", "LIMIT", "5")).contains("VSCAN option: 'LIMIT'");
    assertThat(errorOf(Sync.VSCAN, "xyz")).contains("cursor: 'xyz'");
  }

  private String errorOf(Sync cmd, String... args) {
    try {
      Object reply = jedis.sendCommand(cmd, args);
      throw new AssertionError("expected an error reply, got " + text(reply));
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      return e.getMessage();
    }
  }
}
