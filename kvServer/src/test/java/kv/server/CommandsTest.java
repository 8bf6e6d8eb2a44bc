package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Every plain command through Jedis against a real server (one per class, keys per test). */
class CommandsTest {
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

  @Test
  void assignmentExamples() {
    assertThat(send(jedis, Cmd.PUT, "\"person1\" : { \"name\" : \"John\" ; \"age\" : 22 }")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.PUT, "\"person2\" : { \"name\" : \"Mary\" ; \"address\" : "
        + "{ \"street\" : \"Panepistimiou\" ; \"number\" : 12 } }")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.PUT, "\"person3\" : { \"height\" : 1.75 ; \"profession\" : \"student\" }")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.PUT, "\"person4\" : {}")).isEqualTo("OK");

    assertThat(send(jedis, Cmd.GET, "person1")).isEqualTo("{ \"name\" : \"John\" ; \"age\" : 22 }");
    assertThat(send(jedis, Cmd.GET, "person3")).isEqualTo("{ \"height\" : 1.75 ; \"profession\" : \"student\" }");
    assertThat(send(jedis, Cmd.GET, "person4")).isEqualTo("{}");
    assertThat(send(jedis, Cmd.QUERY, "person2.address.number")).isEqualTo("12");
    assertThat(send(jedis, Cmd.QUERY, "person2.name")).isEqualTo("\"Mary\"");
    assertThat(send(jedis, Cmd.QUERY, "person2.address"))
        .isEqualTo("{ \"street\" : \"Panepistimiou\" ; \"number\" : 12 }");
    assertThat(send(jedis, Cmd.QUERY, "person2")).isEqualTo(send(jedis, Cmd.GET, "person2"));
    assertThat(send(jedis, Cmd.QUERY, "person2.phone")).isNull();
    assertThat(send(jedis, Cmd.QUERY, "person2.name.first")).isNull();
    assertThat(send(jedis, Cmd.QUERY, "nobody.name")).isNull();
    assertThat(send(jedis, Cmd.GET, "name")).isNull();
  }

  @Test
  void putKeyAndSetForm() {
    assertThat(send(jedis, Cmd.PUT, "form2", "{ \"a\" : 1 ; \"b\" : { \"c\" : \"d\" } }")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.GET, "form2")).isEqualTo("{ \"a\" : 1 ; \"b\" : { \"c\" : \"d\" } }");
    assertThat(send(jedis, Cmd.PUT, "with space", "{}")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.GET, "with space")).isEqualTo("{}");
    assertThat(send(jedis, Cmd.PUT, "form2", "{ \"a\" : 2 }")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.GET, "form2")).isEqualTo("{ \"a\" : 2 }");
  }

  @Test
  void invalidRecordsGetAnErrorAndTheConnectionStaysUsable() {
    assertThat(error(jedis, Cmd.PUT, "\"person5\" : \"hello\"")).startsWith("ERR invalid record: ");
    assertThat(error(jedis, Cmd.PUT, "\"person6\" : { \"address\" : { \"there\" } }"))
        .startsWith("ERR invalid record: ").contains("line 1");
    assertThat(error(jedis, Cmd.PUT, "\"person7\" : { \"name\" : \"John\"")).startsWith("ERR invalid record: ");
    assertThat(error(jedis, Cmd.PUT, "\"person8\" : { \"a\" : 1 ; \"a\" : 2 }")).startsWith("ERR invalid record: ");
    assertThat(error(jedis, Cmd.PUT, "person9", "not a set")).startsWith("ERR invalid record: ");
    assertThat(send(jedis, Cmd.GET, "person5")).isNull();
    assertThat(send(jedis, Cmd.GET, "person6")).isNull();
    assertThat(send(jedis, Cmd.PING)).isEqualTo("PONG");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    String deep = "{ \"a\" : ".repeat(100) + "1" + " }".repeat(100);
    assertThat(error(jedis, Cmd.PUT, "deep", deep)).startsWith("ERR invalid record: ");
    assertThat(send(jedis, Cmd.GET, "deep")).isNull();
  }

  @Test
  void wrongArityAndUnknownCommands() {
    assertThat(error(jedis, Cmd.GET)).isEqualTo("ERR wrong number of arguments for 'get' command (expected: GET key)");
    assertThat(error(jedis, Cmd.GET, "a", "b")).startsWith("ERR wrong number of arguments for 'get' command");
    assertThat(error(jedis, Cmd.PUT, "a", "{}", "extra")).startsWith("ERR wrong number of arguments for 'put' command");
    assertThat(error(jedis, Cmd.QUERY, "a", "b")).startsWith("ERR wrong number of arguments for 'query' command");
    assertThat(error(jedis, Cmd.VPUT, "k", "1")).startsWith("ERR wrong number of arguments for 'vput' command");
    assertThat(error(jedis, Cmd.FOO, "x")).isEqualTo("ERR unknown command 'FOO'");
    assertThat(error(jedis, Cmd.QUERY, "person2..name")).startsWith("ERR invalid path: ");
    assertThat(send(jedis, Cmd.PING, "still here")).isEqualTo("still here");
  }

  @Test
  void deleteExistsDbsize() {
    long before = (Long) send(jedis, Cmd.DBSIZE);
    send(jedis, Cmd.PUT, "del1", "{}");
    send(jedis, Cmd.PUT, "del2", "{}");
    assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(before + 2);
    assertThat(send(jedis, Cmd.EXISTS, "del1", "del2", "del3", "del1")).isEqualTo(3L);
    assertThat(send(jedis, Cmd.DELETE, "del1")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.DELETE, "del1")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.DEL, "del2", "del3")).isEqualTo(1L);
    assertThat(send(jedis, Cmd.GET, "del1")).isNull();
    assertThat(send(jedis, Cmd.EXISTS, "del1")).isEqualTo(0L);
    assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(before);
  }

  @Test
  @SuppressWarnings("unchecked")
  void keysByPrefix() {
    for (String k : List.of("kp:b", "kp:a", "kp:c", "kq:a")) {
      send(jedis, Cmd.PUT, k, "{}");
    }
    send(jedis, Cmd.DELETE, "kp:c");
    assertThat(send(jedis, Cmd.KEYS, "kp:*")).isEqualTo(List.of("kp:a", "kp:b"));
    assertThat(send(jedis, Cmd.KEYS, "kp:a")).isEqualTo(List.of("kp:a"));
    assertThat(send(jedis, Cmd.KEYS, "kp:c")).isEqualTo(List.of());
    assertThat((List<Object>) send(jedis, Cmd.KEYS, "*")).contains("kp:a", "kp:b", "kq:a").doesNotContain("kp:c");
    assertThat(error(jedis, Cmd.KEYS, "*:a")).startsWith("ERR pattern: '*:a' is not supported")
        .contains("only prefix patterns are supported");
  }

  @Test
  void scanVisitsEveryKeyExactlyOnce() {
    for (int i = 0; i < 250; i++) {
      send(jedis, Cmd.PUT, "scan:" + i, "{ \"i\" : " + i + " }");
    }
    for (int i = 0; i < 250; i += 5) {
      send(jedis, Cmd.DELETE, "scan:" + i);
    }
    send(jedis, Cmd.PUT, "scanz", "{}");
    Map<String, Integer> seen = new HashMap<>();
    String cursor = "0";
    int calls = 0;
    do {
      @SuppressWarnings("unchecked")
      List<Object> reply = (List<Object>) send(jedis, Cmd.SCAN, cursor, "MATCH", "scan:*", "COUNT", "17");
      cursor = (String) reply.get(0);
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) reply.get(1);
      assertThat(keys.size()).isLessThanOrEqualTo(17);
      keys.forEach(k -> seen.merge(k, 1, Integer::sum));
      calls++;
    } while (!cursor.equals("0") && calls < 1000);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      if (i % 5 != 0) {
        expected.add("scan:" + i);
      }
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(seen.values()).allMatch(n -> n == 1);
  }

  @Test
  void scanDefaultsAndErrors() {
    send(jedis, Cmd.PUT, "only-one-scan-key", "{}");
    List<?> reply = (List<?>) send(jedis, Cmd.SCAN, "0", "MATCH", "only-one-scan-key");
    assertThat(reply).isEqualTo(List.of("0", List.of("only-one-scan-key")));
    assertThat(error(jedis, Cmd.SCAN, "xyz")).isEqualTo("ERR invalid cursor 'xyz' (expected: 0 to start, or a"
        + " cursor returned by SCAN here within the last 10000 scans; start again from 0)");
    assertThat(error(jedis, Cmd.SCAN, "123456")).startsWith("ERR invalid cursor '123456' (expected: 0 to start");
    assertThat(error(jedis, Cmd.SCAN, "-1")).startsWith("ERR invalid cursor '-1'");
    assertThat(error(jedis, Cmd.SCAN, "99999999999999999999")).startsWith("ERR invalid cursor '9999");
    assertThat(error(jedis, Cmd.SCAN, "0", "COUNT", "0")).startsWith("ERR COUNT: '0'");
    assertThat(error(jedis, Cmd.SCAN, "0", "TYPE", "string")).startsWith("ERR SCAN option: 'TYPE'");
    assertThat(error(jedis, Cmd.SCAN, "0", "MATCH", "a?b")).contains("only prefix patterns");
  }

  @Test
  void pingEchoSelect() {
    assertThat(send(jedis, Cmd.PING)).isEqualTo("PONG");
    assertThat(send(jedis, Cmd.ECHO, "héllo\r\nworld")).isEqualTo("héllo\r\nworld");
    byte[] binary = {0, (byte) 0xff, 13, 10, 36};
    assertThat((byte[]) jedis.sendCommand(Cmd.ECHO, binary)).isEqualTo(binary);
    assertThat(send(jedis, Cmd.SELECT, "0")).isEqualTo("OK");
    assertThat(error(jedis, Cmd.SELECT, "1")).startsWith("ERR DB index is out of range");
    assertThat(error(jedis, Cmd.SELECT, "x")).isEqualTo("ERR value is not an integer or out of range");
  }

  @Test
  void infoReportsIdentityAndCounters() {
    send(jedis, Cmd.PUT, "info1", "{}");
    send(jedis, Cmd.PUT, "info2", "{}");
    send(jedis, Cmd.DELETE, "info2");
    String info = (String) send(jedis, Cmd.INFO);
    Map<String, String> fields = new HashMap<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    assertThat(fields).containsKeys("kv_version", "instance_id", "start_time_ms", "uptime_in_seconds",
        "records", "tombstones", "used_memory", "connected_clients", "total_connections_received",
        "total_commands_processed");
    assertThat(fields.get("instance_id")).isEqualTo(server.instanceId()).hasSize(32);
    assertThat(Long.parseLong(fields.get("records"))).isEqualTo((Long) send(jedis, Cmd.DBSIZE));
    assertThat(Long.parseLong(fields.get("tombstones"))).isGreaterThanOrEqualTo(1);
    assertThat(Long.parseLong(fields.get("connected_clients"))).isGreaterThanOrEqualTo(1);
    assertThat(Long.parseLong(fields.get("total_commands_processed"))).isGreaterThanOrEqualTo(4);
    assertThat(Long.parseLong(fields.get("used_memory"))).isPositive();
    assertThat(fields.get("multiplexing_api")).isEqualTo(io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
  }

  @Test
  @SuppressWarnings("unchecked")
  void redisToolingCommands() {
    List<Object> all = (List<Object>) send(jedis, Cmd.COMMAND);
    assertThat((Long) send(jedis, Cmd.COMMAND, "COUNT")).isEqualTo(all.size()).isGreaterThan(20);
    assertThat(send(jedis, Cmd.COMMAND, "INFO", "get", "nosuch")).isEqualTo(java.util.Arrays.asList(
        List.of("get", 2L, List.of("readonly", "fast"), 1L, 1L, 1L, List.of("@read", "@fast"), List.of(), List.of(),
            List.of()), null));
    List<Object> docs = (List<Object>) send(jedis, Cmd.COMMAND, "DOCS", "scan");
    assertThat(docs.get(0)).isEqualTo("scan");
    assertThat(docs.get(1).toString()).contains("summary", "arguments", "MATCH", "optional");
    assertThat(send(jedis, Cmd.CONFIG, "GET", "save")).isEqualTo(List.of("save", ""));
    assertThat(send(jedis, Cmd.CONFIG, "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
    assertThat(send(jedis, Cmd.CONFIG, "GET", "maxmemory")).isEqualTo(List.of());
    assertThat(send(jedis, Cmd.CONFIG, "GET", "data*", "maxclient?")).isEqualTo(List.of("databases", "1",
        "maxclients", "10000"));
    assertThat(error(jedis, Cmd.CONFIG, "SET", "save", "")).contains("not supported");
  }

  @Test
  void helloAnswersAsRedis() {
    List<?> hello = (List<?>) send(jedis, Cmd.HELLO);
    assertThat(hello).hasSize(14);
    assertThat(hello.subList(0, 6)).isEqualTo(List.of("server", "kv", "version", KvServer.VERSION, "proto", 2L));
    assertThat(hello.get(9)).isEqualTo("standalone");
    assertThat(hello.get(11)).isEqualTo("master");
    assertThat(send(jedis, Cmd.HELLO, "2")).isEqualTo(hello);
    assertThat(error(jedis, Cmd.HELLO, "4")).isEqualTo("NOPROTO unsupported protocol version 4 (expected: 2 or 3)");
    assertThat(error(jedis, Cmd.HELLO, "x")).isEqualTo("ERR Protocol version is not an integer or out of range");
    assertThat(error(jedis, Cmd.HELLO, "2", "SETNAME")).startsWith("ERR Syntax error in HELLO option 'SETNAME'");
    assertThat(error(jedis, Cmd.HELLO, "2", "AUTH", "bob", "pw"))
        .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
    send(jedis, Cmd.HELLO, "2", "AUTH", "default", "anything", "SETNAME", "hello-name");
    assertThat(send(jedis, Cmd.CLIENT, "GETNAME")).isEqualTo("hello-name");
  }

  @Test
  void clientSubcommands() {
    assertThat(send(jedis, Cmd.CLIENT, "GETNAME")).isNull();
    assertThat(send(jedis, Cmd.CLIENT, "SETNAME", "tester")).isEqualTo("OK");
    assertThat(send(jedis, Cmd.CLIENT, "GETNAME")).isEqualTo("tester");
    assertThat(send(jedis, Cmd.CLIENT, "SETINFO", "LIB-NAME", "x")).isEqualTo("OK");
    assertThat(error(jedis, Cmd.CLIENT, "SETINFO", "colour", "x")).startsWith("ERR Unrecognized option 'colour'");
    long id = (Long) send(jedis, Cmd.CLIENT, "ID");
    assertThat((String) send(jedis, Cmd.CLIENT, "INFO")).startsWith("id=" + id + " ").contains("name=tester",
        "lib-name=x", "resp=2");
    assertThat((String) send(jedis, Cmd.CLIENT, "LIST")).contains("id=" + id + " ");
    assertThat((String) send(jedis, Cmd.CLIENT, "LIST", "ID", "999999")).isEmpty();
    assertThat(error(jedis, Cmd.CLIENT, "SETNAME", "two words"))
        .startsWith("ERR Client names cannot contain spaces, newlines or special characters.");
    assertThat(error(jedis, Cmd.CLIENT, "KILL", "1.2.3.4:5")).isEqualTo("ERR No such client");
    assertThat(send(jedis, Cmd.CLIENT, "KILL", "ID", "999999")).isEqualTo(0L);
    assertThat(error(jedis, Cmd.CLIENT, "KILL", "ID", "x")).isEqualTo("ERR client-id should be greater than 0");
    assertThat(error(jedis, Cmd.CLIENT, "PAUSE", "10")).startsWith("ERR CLIENT PAUSE is not supported by KV");
    assertThat(error(jedis, Cmd.CLIENT, "FOO")).isEqualTo("ERR unknown subcommand 'FOO'. Try CLIENT HELP.");
  }

  @Test
  void quitAnswersOkThenCloses() throws Exception {
    try (RawClient raw = new RawClient(server.port())) {
      raw.send("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n");
      assertThat(raw.read()).isEqualTo(kv.resp.Resp.OK);
      assertThat(raw.closedByServer()).isTrue();
    }
  }
}
