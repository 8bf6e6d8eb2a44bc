package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.broker.command.CommandParser;
import kv.broker.eventual.RealCluster;
import kv.broker.testing.RespTestClient;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import kv.resp.Resp;
import kv.resp.RespLimits;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.json.JsonSetParams;
import redis.clients.jedis.json.Path2;

/**
 * RedisJSON's commands on the router port, answered over the engine as kvServer answers them
 * (kvServer's JsonCommandsTest), against three real kvServers with k = 2: the wire replies, Jedis'
 * JSON API over RESP2 and RESP3, the per-connection order, and servers down.
 */
class RouterJsonTest {
  private final RealCluster cluster = new RealCluster(3, 2);
  private final RouterServer router;

  RouterJsonTest() throws Exception {
    RouterCommands commands = new RouterCommands(cluster.service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(20), Map.of("kv_version", "test"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, cluster.io);
  }

  @AfterEach
  void stop() {
    router.close();
    cluster.close();
  }

  private UnifiedJedis unified(RedisProtocol protocol) {
    return new UnifiedJedis(new HostAndPort("127.0.0.1", router.port()),
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(20_000).build());
  }

  private static Resp bulk(String text) {
    return Resp.Bulk.of(text);
  }

  private static Resp error(String text) {
    return new Resp.Error(text);
  }

  @Test
  void setGetTypeAndMgetInRedisJsonsShapes() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      assertThat(c.call("JSON.SET", "doc", "$", "{\"a\":2,\"list\":[1,2],\"n\":{\"x\":\"y\"}}")).isEqualTo(Resp.OK);
      assertThat(c.call("JSON.GET", "doc")).isEqualTo(bulk("{\"a\":2,\"list\":[1,2],\"n\":{\"x\":\"y\"}}"));
      assertThat(c.call("GET", "doc")).as("the canonical KV text")
          .isEqualTo(bulk("{ \"a\" : 2 ; \"list\" : [ 1 ; 2 ] ; \"n\" : { \"x\" : \"y\" } }"));
      assertThat(c.call("JSON.GET", "doc", "$.a")).isEqualTo(bulk("[2]"));
      assertThat(c.call("JSON.GET", "doc", ".a")).isEqualTo(bulk("2"));
      assertThat(c.call("JSON.GET", "doc", "$.none")).isEqualTo(bulk("[]"));
      assertThat(c.call("JSON.GET", "doc", ".none")).isEqualTo(error("ERR Path '.none' does not exist"));
      assertThat(c.call("JSON.GET", "doc", "$.a", "$.list[-1]")).isEqualTo(bulk("{\"$.a\":[2],\"$.list[-1]\":[2]}"));
      assertThat(c.call("JSON.GET", "absent")).isEqualTo(Resp.NullBulk.INSTANCE);

      assertThat(c.call("JSON.SET", "doc", "$.b", "\"new\"")).isEqualTo(Resp.OK);
      assertThat(c.call("JSON.SET", "doc", ".list[0]", "10")).isEqualTo(Resp.OK);
      assertThat(c.call("JSON.SET", "doc", "$.x.y", "1")).as("no parent").isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.call("JSON.SET", "doc", "$.a", "3", "NX")).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.call("JSON.SET", "doc", "$.c", "3", "XX")).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.call("JSON.SET", "doc", "$", "1", "NX")).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.call("JSON.GET", "doc")).isEqualTo(bulk("{\"a\":2,\"list\":[10,2],\"n\":{\"x\":\"y\"},\"b\":\"new\"}"));
      assertThat(c.call("JSON.SET", "nodoc", "$.a", "1")).isEqualTo(error("ERR new objects must be created at the"
          + " root: key 'nodoc' does not exist (expected: JSON.SET nodoc $ json first)"));
      assertThat(c.call("JSON.SET", "nodoc", "$", "1", "XX")).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.call("JSON.SET", "nodoc", "$", "[1]", "NX")).isEqualTo(Resp.OK);
      assertThat(c.call("GET", "nodoc")).isEqualTo(bulk("[ 1 ]"));
      assertThat(((Resp.Error) c.call("JSON.SET", "doc", "$.list[5]", "1")).text())
          .startsWith("ERR array index out of range");
      assertThat(((Resp.Error) c.call("JSON.SET", "doc", "$", "{\"a\":")).text()).startsWith("ERR invalid JSON: ");
      assertThat(c.call("JSON.SET", "doc", "$", "1", "YY")).isEqualTo(error("ERR JSON.SET option: 'YY' (expected: NX"
          + " or XX)"));
      assertThat(((Resp.Error) c.call("JSON.GET", "doc", "$..a")).text()).startsWith("ERR unsupported path '$..a'");
      assertThat(c.call("JSON.SET", "doc", "$")).isEqualTo(error("ERR wrong number of arguments for 'json.set'"
          + " command (expected: JSON.SET key path json [NX|XX])"));

      assertThat(c.call("JSON.TYPE", "doc")).isEqualTo(bulk("object"));
      assertThat(c.call("JSON.TYPE", "doc", "$.list")).isEqualTo(new Resp.Array(List.of(bulk("array"))));
      assertThat(c.call("JSON.TYPE", "doc", ".b")).isEqualTo(bulk("string"));
      assertThat(c.call("JSON.TYPE", "doc", "$.none")).isEqualTo(new Resp.Array(List.of()));
      assertThat(c.call("JSON.TYPE", "absent")).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.call("JSON.MGET", "doc", "absent", "nodoc", "$.a")).isEqualTo(new Resp.Array(List.of(
          bulk("[2]"), Resp.NullBulk.INSTANCE, bulk("[]"))));
    }
  }

  @Test
  void delAndArrappendCountAsRedisJsonDoesAndAppendsAreApppends() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      c.call("JSON.SET", "d", "$", "{\"a\":[1],\"b\":\"s\",\"c\":{\"d\":1}}");
      assertThat(c.call("JSON.ARRAPPEND", "d", "$.a", "2", "[3]")).isEqualTo(new Resp.Array(List.of(new Resp.Int(3))));
      assertThat(c.call("JSON.ARRAPPEND", "d", ".a", "\"x\"")).isEqualTo(new Resp.Int(4));
      assertThat(c.call("JSON.ARRAPPEND", "d", "$.b", "1")).isEqualTo(new Resp.Array(List.of(Resp.NullBulk.INSTANCE)));
      assertThat(c.call("JSON.ARRAPPEND", "d", "$.none", "1")).isEqualTo(new Resp.Array(List.of()));
      assertThat(c.call("JSON.ARRAPPEND", "d", ".b", "1")).isEqualTo(error("ERR JSON.ARRAPPEND: path '.b' does not"
          + " exist or is not an array (it holds a string)"));
      assertThat(((Resp.Error) c.call("JSON.ARRAPPEND", "nokey", "$", "1")).text())
          .startsWith("ERR JSON.ARRAPPEND: key 'nokey' does not exist");
      assertThat(c.call("JSON.GET", "d", "$.a")).isEqualTo(bulk("[[1,2,[3],\"x\"]]"));
      ServerAddress replica = cluster.replicas("d").get(0);
      assertThat(cluster.plainGet(cluster.addresses.indexOf(replica), "d")).as("on a replica")
          .isEqualTo("{ \"a\" : [ 1 ; 2 ; [ 3 ] ; \"x\" ] ; \"b\" : \"s\" ; \"c\" : { \"d\" : 1 } }");

      assertThat(c.call("JSON.DEL", "d", "$.c.d")).isEqualTo(new Resp.Int(1));
      assertThat(c.call("JSON.DEL", "d", "$.c.d")).isEqualTo(new Resp.Int(0));
      assertThat(c.call("JSON.FORGET", "d", ".a[0]")).isEqualTo(new Resp.Int(1));
      assertThat(c.call("JSON.GET", "d")).isEqualTo(bulk("{\"a\":[2,[3],\"x\"],\"b\":\"s\",\"c\":{}}"));
      assertThat(c.call("JSON.DEL", "d")).isEqualTo(new Resp.Int(1));
      assertThat(c.call("JSON.DEL", "d")).isEqualTo(new Resp.Int(0));
      assertThat(c.call("EXISTS", "d")).isEqualTo(new Resp.Int(0));
    }
  }

  @Test
  void aConnectionsJsonCommandsTakeEffectInOrderWhenPipelined() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      for (int i = 0; i < 50; i++) {
        String key = "p" + i;
        List<String[]> pipeline = new ArrayList<>();
        pipeline.add(new String[] {"JSON.SET", key, "$", "{\"l\":[]}"});
        pipeline.add(new String[] {"JSON.ARRAPPEND", key, "$.l", "1"});
        pipeline.add(new String[] {"APPEND", key + ".l", "2"});
        pipeline.add(new String[] {"JSON.SET", key, "$.n", "7"});
        pipeline.add(new String[] {"JSON.GET", key});
        pipeline.add(new String[] {"JSON.DEL", key});
        pipeline.add(new String[] {"JSON.GET", key});
        c.sendAll(pipeline);
        List<Resp> replies = new ArrayList<>();
        for (int j = 0; j < pipeline.size(); j++) {
          replies.add(c.read());
        }
        assertThat(replies).as("try %d", i).containsExactly(Resp.OK, new Resp.Array(List.of(new Resp.Int(1))),
            new Resp.Int(2), Resp.OK, bulk("{\"l\":[1,2],\"n\":7}"), new Resp.Int(1), Resp.NullBulk.INSTANCE);
      }
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

  @Test
  void serversDownAnswerAsTheEngineDoes() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      assertThat(c.call("JSON.SET", "pets", "$", "[\"cat\"]")).isEqualTo(Resp.OK);
      List<ServerAddress> replicas = cluster.replicas("pets");
      cluster.stop(cluster.addresses.indexOf(replicas.get(0)));
      assertThat(c.call("JSON.ARRAPPEND", "pets", "$", "\"dog\"")).as("one replica down: still written")
          .isEqualTo(new Resp.Array(List.of(new Resp.Int(2))));
      assertThat(c.call("JSON.GET", "pets")).isEqualTo(bulk("[\"cat\",\"dog\"]"));
      assertThat(((Resp.Error) c.call("JSON.DEL", "pets")).text()).as("DELETE refused while a replica is down")
          .startsWith("TRYAGAIN ").contains(replicas.get(0).toString());
      cluster.stop(cluster.addresses.indexOf(replicas.get(1)));
      assertThat(((Resp.Error) c.call("JSON.GET", "pets")).text()).startsWith("CLUSTERDOWN ")
          .contains(replicas.get(1).toString());
      assertThat(((Resp.Error) c.call("JSON.SET", "pets", "$", "1")).text()).startsWith("CLUSTERDOWN ");
      assertThat(((Resp.Error) c.call("JSON.MGET", "pets", "$")).text()).startsWith("CLUSTERDOWN ");
    }
  }
}
