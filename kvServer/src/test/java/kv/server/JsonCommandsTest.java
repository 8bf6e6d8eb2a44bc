package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kv.resp.Resp;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.json.JsonSetParams;
import redis.clients.jedis.json.Path2;

/** RedisJSON's commands: their replies on the wire (RESP2 and RESP3), and Jedis' JSON API unchanged. */
class JsonCommandsTest {
  private static KvServer server;
  private Jedis jedis;

  @BeforeAll
  static void startServer() {
    server = KvServer.start(ServerConfig.defaults());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = ServerFixture.client(server);
  }

  @AfterEach
  void disconnect() {
    jedis.close();
  }

  private static UnifiedJedis unified(RedisProtocol protocol) {
    return new UnifiedJedis(new HostAndPort("127.0.0.1", server.port()),
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000).build());
  }

  @Test
  void setAndGetInRedisJsonsShapes() {
    assertThat(send(jedis, Cmd.JSON_SET, "doc", "$", "{\"a\":2,\"list\":[1,2],\"n\":{\"x\":\"y\"}}")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.JSON_GET, "doc")).isEqualTo("{\"a\":2,\"list\":[1,2],\"n\":{\"x\":\"y\"}}");
    assertThat(send(jedis, Cmd.GET, "doc")).as("the canonical KV text")
        .isEqualTo("{ \"a\" : 2 ; \"list\" : [ 1 ; 2 ] ; \"n\" : { \"x\" : \"y\" } }");
    assertThat(send(jedis, Cmd.JSON_GET, "doc", "$.a")).isEqualTo("[2]");
    assertThat(send(jedis, Cmd.JSON_GET, "doc", ".a")).isEqualTo("2");
    assertThat(send(jedis, Cmd.JSON_GET, "doc", "$.none")).isEqualTo("[]");
    assertThat(error(jedis, Cmd.JSON_GET, "doc", ".none")).isEqualTo("ERR Path '.none' does not exist");
    assertThat(send(jedis, Cmd.JSON_GET, "doc", "$.a", "$.list[-1]")).isEqualTo("{\"$.a\":[2],\"$.list[-1]\":[2]}");
    assertThat(send(jedis, Cmd.JSON_GET, "doc", ".a", "n.x")).isEqualTo("{\".a\":2,\"n.x\":\"y\"}");
    assertThat(send(jedis, Cmd.JSON_GET, "doc", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", "$.n"))
        .isEqualTo("[\n  {\n    \"x\": \"y\"\n  }\n]");
    assertThat(send(jedis, Cmd.JSON_GET, "absent")).isNull();

    assertThat(send(jedis, Cmd.JSON_SET, "doc", "$.b", "\"new\"")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.JSON_SET, "doc", ".list[0]", "10")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.JSON_SET, "doc", "$.x.y", "1")).as("no parent").isNull();
    assertThat(send(jedis, Cmd.JSON_SET, "doc", "$.a", "3", "NX")).isNull();
    assertThat(send(jedis, Cmd.JSON_SET, "doc", "$.c", "3", "XX")).isNull();
    assertThat(send(jedis, Cmd.JSON_SET, "doc", "$", "1", "NX")).isNull();
    assertThat(send(jedis, Cmd.JSON_GET, "doc")).isEqualTo("{\"a\":2,\"list\":[10,2],\"n\":{\"x\":\"y\"},\"b\":\"new\"}");
    assertThat(error(jedis, Cmd.JSON_SET, "doc", "$.list[5]", "1")).startsWith("ERR array index out of range");
    assertThat(error(jedis, Cmd.JSON_SET, "nodoc", "$.a", "1")).isEqualTo("ERR new objects must be created at the"
        + " root: key 'nodoc' does not exist (expected: JSON.SET nodoc $ json first)");
    assertThat(send(jedis, Cmd.JSON_SET, "nodoc", "$", "1", "XX")).isNull();
    assertThat(error(jedis, Cmd.JSON_SET, "doc", "$", "{\"a\":")).startsWith("ERR invalid JSON: ");
    assertThat(error(jedis, Cmd.JSON_SET, "doc", "$", "1", "YY")).isEqualTo("ERR JSON.SET option: 'YY' (expected: NX"
        + " or XX)");
    assertThat(error(jedis, Cmd.JSON_GET, "doc", "$..a")).startsWith("ERR unsupported path '$..a'");
  }

  @Test
  void anyValueAtAKeyAndTheTypes() {
    assertThat(send(jedis, Cmd.JSON_SET, "s", "$", "\"hello\"")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.GET, "s")).isEqualTo("\"hello\"");
    assertThat(send(jedis, Cmd.JSON_TYPE, "s")).isEqualTo("string");
    send(jedis, Cmd.JSON_SET, "t", "$", "{\"i\":1,\"f\":1.5,\"b\":true,\"z\":null,\"l\":[],\"o\":{}}");
    for (Map.Entry<String, String> e : Map.of("i", "integer", "f", "number", "b", "boolean", "z", "null", "l", "array",
        "o", "object").entrySet()) {
      assertThat(send(jedis, Cmd.JSON_TYPE, "t", "." + e.getKey())).isEqualTo(e.getValue());
      assertThat(send(jedis, Cmd.JSON_TYPE, "t", "$." + e.getKey())).isEqualTo(List.of(e.getValue()));
    }
    assertThat(send(jedis, Cmd.JSON_TYPE, "t", "$.none")).isEqualTo(List.of());
    assertThat(send(jedis, Cmd.JSON_TYPE, "t", ".none")).isNull();
    assertThat(send(jedis, Cmd.JSON_TYPE, "absent")).isNull();
  }

  @Test
  void delAndArrappendCountAsRedisJsonDoes() {
    send(jedis, Cmd.JSON_SET, "d", "$", "{\"a\":[1],\"b\":\"s\",\"c\":{\"d\":1}}");
    assertThat(send(jedis, Cmd.JSON_ARRAPPEND, "d", "$.a", "2", "[3]")).isEqualTo(List.of(3L));
    assertThat(send(jedis, Cmd.JSON_ARRAPPEND, "d", ".a", "\"x\"")).isEqualTo(4L);
    assertThat(send(jedis, Cmd.JSON_ARRAPPEND, "d", "$.b", "1")).isEqualTo(Arrays.asList((Object) null));
    assertThat(send(jedis, Cmd.JSON_ARRAPPEND, "d", "$.none", "1")).isEqualTo(List.of());
    assertThat(error(jedis, Cmd.JSON_ARRAPPEND, "d", ".b", "1")).isEqualTo("ERR JSON.ARRAPPEND: path '.b' does not"
        + " exist or is not an array (it holds a string)");
    assertThat(error(jedis, Cmd.JSON_ARRAPPEND, "nokey", "$", "1")).startsWith("ERR JSON.ARRAPPEND: key 'nokey' does"
        + " not exist");
    assertThat(send(jedis, Cmd.JSON_GET, "d", "$.a")).isEqualTo("[[1,2,[3],\"x\"]]");
    assertThat(send(jedis, Cmd.VGET, "d")).asList().first().as("appends are versioned entries")
        .isNotEqualTo(((List<?>) send(jedis, Cmd.VENTRIES, "d")).get(1));

    assertThat(send(jedis, Cmd.JSON_DEL, "d", "$.c.d")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.JSON_DEL, "d", "$.c.d")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.JSON_FORGET, "d", ".a[0]")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.JSON_GET, "d")).isEqualTo("{\"a\":[2,[3],\"x\"],\"b\":\"s\",\"c\":{}}");
    assertThat(send(jedis, Cmd.JSON_DEL, "d")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.JSON_DEL, "d")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.EXISTS, "d")).isEqualTo(0L);
  }

  @Test
  void mgetAnswersPerKeyWithNullsForWhatIsMissing() {
    send(jedis, Cmd.JSON_SET, "m1", "$", "{\"a\":1}");
    send(jedis, Cmd.JSON_SET, "m2", "$", "{\"b\":2}");
    assertThat(send(jedis, Cmd.JSON_MGET, "m1", "m2", "m3", "$.a")).isEqualTo(Arrays.asList("[1]", "[]", null));
    assertThat(send(jedis, Cmd.JSON_MGET, "m1", "m2", "m3", ".a")).isEqualTo(Arrays.asList("1", null, null));
  }

  /** JSON.SET at a path reads, edits and writes the value under the key's lock: concurrent ones lose nothing. */
  @Test
  void concurrentSetsOfDifferentMembersAllSurvive() throws Exception {
    send(jedis, Cmd.JSON_SET, "shared", "$", "{}");
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (int t = 0; t < 6; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try (Jedis j = ServerFixture.client(server)) {
          for (int i = 0; i < 60; i++) {
            assertThat(send(j, Cmd.JSON_SET, "shared", "$.f" + id + "_" + i, Integer.toString(i))).isEqualTo("OK");
            if (i % 10 == 0) {
              send(j, Cmd.APPEND, "shared.log", Integer.toString(id));
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(60_000);
    }
    assertThat(failures).isEmpty();
    JSONObject doc = new JSONObject((String) send(jedis, Cmd.JSON_GET, "shared"));
    assertThat(doc.keySet()).hasSize(6 * 60 + 1);
    assertThat(doc.getJSONArray("log").length()).isEqualTo(6 * 6);
  }

  @Test
  void resp3WrapsJsonTypeOnlyAsRedisJsonDoes() throws Exception {
    send(jedis, Cmd.JSON_SET, "r3", "$", "{\"a\":[1]}");
    try (RawClient c = new RawClient(server.port())) {
      c.send("HELLO 3\r\n");
      c.read();
      c.send("JSON.TYPE r3 $.a\r\nJSON.TYPE r3\r\nJSON.GET r3\r\nJSON.ARRAPPEND r3 $.a 2\r\nJSON.TYPE nothing\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Array(List.of(new Resp.Array(List.of(Resp.Bulk.of("array"))))));
      assertThat(c.read()).isEqualTo(new Resp.Array(List.of(Resp.Bulk.of("object"))));
      assertThat(c.read()).isEqualTo(Resp.Bulk.of("{\"a\":[1]}"));
      assertThat(c.read()).isEqualTo(new Resp.Array(List.of(new Resp.Int(2))));
      assertThat(c.read()).isEqualTo(new Resp.Array(List.of(Resp.NullBulk.INSTANCE)));
    }
  }

  @Test
  void jedisJsonApiWorksUnchangedOverResp2AndResp3() {
    for (RedisProtocol protocol : List.of(RedisProtocol.RESP2, RedisProtocol.RESP3)) {
      String key = "jedis-" + protocol;
      try (UnifiedJedis client = unified(protocol)) {
        JSONObject person = new JSONObject().put("name", "John").put("pets", new JSONArray().put("cat").put("dog"));
        assertThat(client.jsonSet(key, Path2.ROOT_PATH, person)).isEqualTo("OK");
        assertThat(client.jsonSet(key, Path2.ROOT_PATH, person, JsonSetParams.jsonSetParams().nx())).isNull();
        assertThat(client.jsonArrAppend(key, Path2.of("$.pets"), "\"mouse\"")).containsExactly(3L);
        JSONArray pets = (JSONArray) client.jsonGet(key, Path2.of("$.pets"));
        assertThat(pets.getJSONArray(0).toList()).containsExactly("cat", "dog", "mouse");
        @SuppressWarnings("unchecked")
        Map<String, Object> whole = (Map<String, Object>) client.jsonGet(key);
        assertThat(whole).containsEntry("name", "John").containsEntry("pets", List.of("cat", "dog", "mouse"));
        assertThat(client.jsonType(key, Path2.of("$.pets"))).containsExactly(List.class);
        assertThat(client.jsonSetWithEscape(key, Path2.of("$.name"), "Mary")).isEqualTo("OK");
        assertThat(client.jsonMGet(Path2.of("$.name"), key, "nothing-" + key))
            .extracting(a -> a == null ? null : a.toList()).containsExactly(List.of("Mary"), null);
        assertThat(client.jsonDel(key, Path2.of("$.pets[0]"))).isEqualTo(1L);
        assertThat(client.jsonGet(key, Path2.of("$.pets")).toString()).isEqualTo("[[\"dog\",\"mouse\"]]");
        assertThatThrownBy(() -> client.jsonArrAppend("nothing-" + key, Path2.of("$"), "1"))
            .isInstanceOf(JedisDataException.class).hasMessageContaining("does not exist");
        assertThat(client.jsonDel(key)).isEqualTo(1L);
        assertThat(client.jsonGet(key)).isNull();
        client.jsonSet(key, Path2.ROOT_PATH, "\"just a string\"");
        assertThat(client.jsonGet(key)).isEqualTo("just a string");
        assertThat(client.get(key)).as("plain GET of a non-set value").isEqualTo("\"just a string\"");
      }
    }
  }
}
