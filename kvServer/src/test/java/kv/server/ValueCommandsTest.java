package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.record.AppendKeys;
import kv.resp.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** SETVALUE and APPEND through Jedis and typed inline, and how appends stay out of the key space. */
class ValueCommandsTest {
  private static KvServer server;
  private static KvServer shallow;
  private Jedis jedis;

  @BeforeAll
  static void startServer() {
    server = KvServer.start(ServerConfig.defaults());
    shallow = KvServer.start(ServerConfig.defaults().withMaxDepth(3));
  }

  @AfterAll
  static void stopServer() {
    server.close();
    shallow.close();
  }

  @BeforeEach
  void connect() {
    jedis = ServerFixture.client(server);
  }

  @AfterEach
  void disconnect() {
    jedis.close();
  }

  @Test
  void theReferenceServicesListAndItsAppend() {
    assertThat(send(jedis, Cmd.SETVALUE, "pets", "[\"cat\",\"dog\"]")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.APPEND, "pets", "\"mouse\"")).isEqualTo(3L);
    assertThat(send(jedis, Cmd.GET, "pets")).isEqualTo("[ \"cat\" ; \"dog\" ; \"mouse\" ]");
    assertThat(send(jedis, Cmd.APPEND, "pets", "[ \"a\" ; \"b\" ]")).as("a list is one element").isEqualTo(4L);
    assertThat(send(jedis, Cmd.APPEND, "pets", "fish")).as("a bare word is a string").isEqualTo(5L);
    assertThat(send(jedis, Cmd.GET, "pets")).isEqualTo("[ \"cat\" ; \"dog\" ; \"mouse\" ; [ \"a\" ; \"b\" ] ; \"fish\" ]");
    assertThat(send(jedis, Cmd.QUERY, "pets.3.1")).isEqualTo("\"b\"");
    assertThat(send(jedis, Cmd.APPEND, "fresh", "1")).as("a missing key becomes [value]").isEqualTo(1L);
    assertThat(send(jedis, Cmd.GET, "fresh")).isEqualTo("[ 1 ]");
    assertThat(send(jedis, Cmd.TYPE, "fresh")).isEqualTo("ReJSON-RL");
  }

  @Test
  void appendingIntoARecordCreatesAMissingPathAndRefusesOtherTypesByName() {
    send(jedis, Cmd.PUT, "person1", "{ \"name\" : \"John\" ; \"tags\" : [] }");
    assertThat(send(jedis, Cmd.APPEND, "person1.tags", "\"red\"")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.APPEND, "person1.pets.cats", "\"tom\"")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.GET, "person1"))
        .isEqualTo("{ \"name\" : \"John\" ; \"tags\" : [ \"red\" ] ; \"pets\" : { \"cats\" : [ \"tom\" ] } }");
    assertThat(error(jedis, Cmd.APPEND, "person1.name", "\"mouse\"")).isEqualTo("ERR APPEND person1.name: the value"
        + " there is a string, not a list (APPEND adds to a list; PUT replaces a value)");
    assertThat(error(jedis, Cmd.APPEND, "person1", "1")).isEqualTo("ERR APPEND person1: the value there is a set,"
        + " not a list (APPEND adds to a list; PUT replaces a value)");
    assertThat(error(jedis, Cmd.APPEND, "person1.name.first", "1")).isEqualTo("ERR APPEND person1.name.first:"
        + " person1.name is a string, so it holds no 'first' (expected: a path through sets and lists)");
    send(jedis, Cmd.SETVALUE, "word", "\"mouse\"");
    assertThat(error(jedis, Cmd.APPEND, "word", "\"s\"")).startsWith("ERR APPEND word: the value there is a string");
    assertThat(send(jedis, Cmd.GET, "word")).as("never coerced into letters").isEqualTo("\"mouse\"");
    assertThat(error(jedis, Cmd.APPEND, "person1.tags", "two words")).startsWith("ERR invalid value: ")
        .endsWith("(expected: KV or JSON text; a string is quoted, as in APPEND key \"two words\")");
    assertThat(error(jedis, Cmd.APPEND, "person1.tags", "NaN")).startsWith("ERR invalid value: NaN is not a JSON number");
    assertThat(error(jedis, Cmd.APPEND, "person1")).startsWith("ERR wrong number of arguments for 'append' command");
  }

  @Test
  void setValueStoresAnyValueButPutKeepsTheRecordGrammar() {
    for (String value : List.of("\"hello\"", "42", "-1.5", "true", "null", "[]", "{ \"a\" : 1 }")) {
      assertThat(send(jedis, Cmd.SETVALUE, "any", value)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.GET, "any")).isEqualTo(value);
    }
    assertThat(error(jedis, Cmd.PUT, "\"person5\" : \"hello\"")).startsWith("ERR invalid record: record value for"
        + " \"person5\": expected a set { ... } but found a string");
    assertThat(error(jedis, Cmd.PUT, "person5", "\"hello\"")).startsWith("ERR invalid record: expected a set");
    assertThat(error(jedis, Cmd.SETVALUE, "x", "hello")).startsWith("ERR invalid value: ");
  }

  @Test
  void inlineCommandsTakeTheRestOfTheLineAsTheValueOneByteAtATime() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      byte[] lines = ("SETVALUE \"inline pets\" [ \"cat\" , \"dog\" ]\r\n"
          + "APPEND \"inline pets\" { \"name\" : \"rex\" ; \"tags\" : [ \"a b\" ] }\r\n"
          + "APPEND \"inline pets\" mouse\r\n"
          + "GET \"inline pets\"\r\n"
          + "APPEND \"inline pets\".2.tags \"c\"\r\n"
          + "QUERY \"inline pets\".2.tags\r\n"
          + "APPEND nothing\r\n"
          + "SETVALUE a.b 1\r\n").getBytes(StandardCharsets.UTF_8);
      for (byte b : lines) {
        c.send(new byte[] {b});
      }
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(new Resp.Int(3));
      assertThat(c.read()).isEqualTo(new Resp.Int(4));
      assertThat(c.read()).isEqualTo(Resp.Bulk.of(
          "[ \"cat\" ; \"dog\" ; { \"name\" : \"rex\" ; \"tags\" : [ \"a b\" ] } ; \"mouse\" ]"));
      assertThat(c.read()).isEqualTo(new Resp.Int(2));
      assertThat(c.read()).isEqualTo(Resp.Bulk.of("[ \"a b\" ; \"c\" ]"));
      assertThat(((Resp.Error) c.read()).text()).startsWith("ERR wrong number of arguments for 'append' command"
          + " (expected: APPEND key[.path] value");
      assertThat(((Resp.Error) c.read()).text()).isEqualTo("ERR SETVALUE key: a.b (expected: a plain word of letters,"
          + " digits, '_' and '-', or the key in double quotes, as in SETVALUE \"a.b\" 1)");
      c.send("PING\r\n");
      assertThat(c.read()).as("the connection stays usable").isEqualTo(new Resp.Simple("PONG"));
    }
  }

  @Test
  void keysWithU0000AreRefusedBecauseAppendsAreNamedWithIt() {
    String internal = AppendKeys.internalKey("k", 5);
    String expected = "ERR key: 'k\\u00000000000000000000005' holds U+0000 (expected: a key without U+0000, which KV"
        + " keeps for the names of APPEND entries)";
    assertThat(error(jedis, Cmd.GET, internal)).isEqualTo(expected);
    assertThat(error(jedis, Cmd.PUT, internal, "{}")).isEqualTo(expected);
    assertThat(error(jedis, Cmd.SETVALUE, internal, "1")).isEqualTo(expected);
    assertThat(error(jedis, Cmd.APPEND, "\"k\\u0000\"", "1")).startsWith("ERR key: 'k\\u0000' holds U+0000");
    assertThat(error(jedis, Cmd.DEL, "a\u0000b")).startsWith("ERR key: 'a\\u0000b' holds U+0000");
    assertThat(error(jedis, Cmd.EXISTS, "a\u0000b")).startsWith("ERR key: ");
    assertThat(error(jedis, Cmd.TYPE, "a\u0000b")).startsWith("ERR key: ");
    assertThat(error(jedis, Cmd.JSON_GET, "a\u0000b")).startsWith("ERR key: ");
  }

  @Test
  void theKeySpaceShowsUserKeysOnlyAndTheReplicationWalkShowsAppends() {
    try (KvServer own = KvServer.start(ServerConfig.defaults()); Jedis j = ServerFixture.client(own)) {
      send(j, Cmd.SETVALUE, "a", "[]");
      send(j, Cmd.APPEND, "a", "1");
      send(j, Cmd.APPEND, "a", "2");
      send(j, Cmd.APPEND, "b", "3");
      send(j, Cmd.PUT, "c", "{}");
      assertThat(send(j, Cmd.KEYS, "*")).isEqualTo(List.of("a", "b", "c"));
      assertThat(send(j, Cmd.DBSIZE)).isEqualTo(3L);
      assertThat(send(j, Cmd.SCAN, "0", "COUNT", "100")).isEqualTo(List.of("0", List.of("a", "b", "c")));
      assertThat(send(j, Cmd.EXISTS, "a", "b", "c", "d")).isEqualTo(3L);
      @SuppressWarnings("unchecked")
      List<Object> vscan = (List<Object>) ((List<Object>) send(j, Cmd.VSCAN, "0")).get(1);
      assertThat(vscan).hasSize(9).containsSubsequence("a", "b", "c");
      assertThat(vscan.get(2)).isEqualTo(1L);
      @SuppressWarnings("unchecked")
      List<Object> vkeys = (List<Object>) ((List<Object>) send(j, Cmd.VKEYS, "0")).get(1);
      List<Object> names = new java.util.ArrayList<>();
      for (int i = 0; i < vkeys.size(); i += 2) {
        names.add(vkeys.get(i));
      }
      assertThat(names).hasSize(5).contains("a", "c");
      assertThat(names).filteredOn(n -> AppendKeys.isInternal((String) n)).hasSize(3);
      assertThat(names).as("b has only an append: no base entry to copy").doesNotContain("b");
      assertThat(send(j, Cmd.INFO)).asString().contains("records:3\r\n", "append_entries:3\r\n");
      assertThat(send(j, Cmd.DEL, "a", "b")).isEqualTo(2L);
      assertThat(send(j, Cmd.KEYS, "*")).isEqualTo(List.of("c"));
      assertThat(send(j, Cmd.INFO)).asString().contains("append_entries:0\r\n");
    }
  }

  @Test
  void anAppendTooDeepForTheServersLimitIsRefused() {
    try (Jedis j = ServerFixture.client(shallow)) {
      assertThat(send(j, Cmd.APPEND, "d.a", "[ 1 ]")).isEqualTo(1L); // { a : [ [ 1 ] ] }: depth 3
      assertThat(send(j, Cmd.GET, "d")).isEqualTo("{ \"a\" : [ [ 1 ] ] }");
      assertThat(error(j, Cmd.APPEND, "e.a.b", "[ 1 ]")).isEqualTo("ERR APPEND e.a.b: the value would nest 4 levels"
          + " deep (expected: <= 3, the server's --max-depth)");
      assertThat(send(j, Cmd.GET, "e")).isNull();
    }
  }
}
