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

/** The anti-entropy forms VKEYS and VVERSIONS through Jedis against a real server. */
class SyncCommandsTest {
  enum Sync implements ProtocolCommand {
    VKEYS, VVERSIONS;

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

  private String errorOf(Sync cmd, String... args) {
    try {
      Object reply = jedis.sendCommand(cmd, args);
      throw new AssertionError("expected an error reply, got " + text(reply));
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      return e.getMessage();
    }
  }
}
