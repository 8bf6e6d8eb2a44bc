package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kv.broker.command.CommandParser;
import kv.broker.testing.Await;
import kv.broker.testing.FakeEngine;
import kv.broker.testing.RespTestClient;
import kv.broker.transport.netty.IoThreads;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.SetValue;
import kv.resp.Resp;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's connection commands (the shared implementation every RESP port uses), RESP3 after
 * HELLO 3, what a Redis client sends when it connects, and the commands a Redis user tries first,
 * on the wire.
 */
class RouterProtocolTest {
  private final IoThreads io = IoThreads.start(2);
  private FakeEngine engine;
  private RouterServer router;

  @BeforeEach
  void start() throws Exception {
    engine = new FakeEngine();
    engine.records.put("person1", new Record("person1", SetValue.builder().put("age", new IntValue(22)).build()));
    RouterCommands commands = new RouterCommands(engine, new CommandParser(new RecordParser()), Duration.ofSeconds(10),
        Map.of("kv_version", "9.9.9"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
  }

  @AfterEach
  void stop() {
    router.close();
    io.close();
  }

  private static Resp.Error error(Resp reply) {
    assertThat(reply).isInstanceOf(Resp.Error.class);
    return (Resp.Error) reply;
  }

  /** Exactly what redis-py 8.1 sends when it connects with its defaults, one request at a time. */
  @Test
  void redisPy8HandshakeThenGet() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      Resp.Map hello = (Resp.Map) c.call("HELLO", "3");
      assertThat(hello.get("proto")).isEqualTo(new Resp.Int(3));
      assertThat(hello.get("server")).isEqualTo(Resp.Bulk.of("kvBroker"));
      assertThat(hello.get("version")).isEqualTo(Resp.Bulk.of("9.9.9"));
      assertThat(hello.get("id")).isInstanceOf(Resp.Int.class);
      // maintenance notifications ("auto" mode): an error reply is logged and ignored by redis-py
      assertThat(error(c.call("CLIENT", "MAINT_NOTIFICATIONS", "ON", "moving-endpoint-type", "internal-fqdn")).text())
          .startsWith("ERR unknown subcommand 'MAINT_NOTIFICATIONS'");
      assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "redis-py")).isEqualTo(Resp.OK);
      assertThat(c.call("CLIENT", "SETINFO", "LIB-VER", "8.1.0")).isEqualTo(Resp.OK);
      c.send("GET", "person1");
      assertThat(c.readBytes(21)).isEqualTo("$14\r\n{ \"age\" : 22 }\r\n");
      c.send("GET", "nobody");
      assertThat(c.readBytes(3)).isEqualTo("_\r\n"); // RESP3's null
      assertThat(((Resp.Verbatim) c.call("CLIENT", "INFO")).text()).contains("lib-name=redis-py", "lib-ver=8.1.0",
          "resp=3", "cmd=client");
    }
  }

  @Test
  void repliesKeepTheProtocolInForceWhenTheirRequestWasSent() throws Exception {
    engine.maxDelayMillis = 20; // the GETs complete after HELLO 3 and RESET were answered
    try (RespTestClient c = new RespTestClient(router.port())) {
      c.sendRaw("GET nobody\r\nHELLO 3\r\nGET nobody\r\nRESET\r\nGET nobody\r\n");
      assertThat(c.readBytes(5)).isEqualTo("$-1\r\n");
      assertThat(((Resp.Map) c.read()).get("proto")).isEqualTo(new Resp.Int(3));
      assertThat(c.readBytes(3)).isEqualTo("_\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Simple("RESET"));
      assertThat(c.readBytes(5)).isEqualTo("$-1\r\n");
    }
  }

  @Test
  void connectionCommandsAsRedisAnswersThem() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      assertThat(c.call("SELECT", "0")).isEqualTo(Resp.OK);
      assertThat(error(c.call("SELECT", "1")).text()).startsWith("ERR DB index is out of range");
      assertThat(c.call("CLIENT", "SETNAME", "me")).isEqualTo(Resp.OK);
      assertThat(c.call("CLIENT", "GETNAME")).isEqualTo(Resp.Bulk.of("me"));
      assertThat(c.call("CLIENT", "ID")).isInstanceOf(Resp.Int.class);
      assertThat(error(c.call("HELLO", "4")).text()).startsWith("NOPROTO");
      assertThat(c.call("CONFIG", "GET", "save")).isEqualTo(new Resp.Array(List.of(Resp.Bulk.of("save"), Resp.Bulk.of(""))));
      assertThat(error(c.call("AUTH", "secret")).text()).contains("without any password configured");
      assertThat(c.call("ECHO", "hi")).isEqualTo(Resp.Bulk.of("hi"));
      Resp info = c.call("INFO");
      assertThat(((Resp.Bulk) info).text()).contains("kv_version:9.9.9", "connected_clients:1");
    }
  }

  @Test
  void commandAndCommandDocsDescribeTheRoutersCommands() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      Resp.Array list = (Resp.Array) c.call("COMMAND", "LIST");
      assertThat(list.items()).contains(Resp.Bulk.of("get"), Resp.Bulk.of("query"), Resp.Bulk.of("put"),
          Resp.Bulk.of("del"), Resp.Bulk.of("type"), Resp.Bulk.of("hello"), Resp.Bulk.of("multi"), Resp.Bulk.of("scan"),
          Resp.Bulk.of("append"), Resp.Bulk.of("setvalue"), Resp.Bulk.of("json.set"), Resp.Bulk.of("json.arrappend"),
          Resp.Bulk.of("json.mget"));
      assertThat(c.call("COMMAND", "COUNT")).isEqualTo(new Resp.Int(list.items().size()));
      Resp docs = c.call("COMMAND", "DOCS", "query");
      assertThat(docs).isInstanceOf(Resp.Array.class); // RESP2: a flat array of name, docs
      assertThat(((Resp.Array) docs).items().get(0)).isEqualTo(Resp.Bulk.of("query"));
      assertThat(((Resp.Array) docs).items().toString()).contains("key.path");
    }
  }

  @Test
  void clientListKillAndReplyWorkOnTheRoutersConnections() throws Exception {
    try (RespTestClient a = new RespTestClient(router.port()); RespTestClient b = new RespTestClient(router.port())) {
      assertThat(b.call("CLIENT", "SETNAME", "victim")).isEqualTo(Resp.OK);
      long bId = ((Resp.Int) b.call("CLIENT", "ID")).value();
      String list = ((Resp.Bulk) a.call("CLIENT", "LIST")).text();
      assertThat(list.lines()).hasSize(2);
      assertThat(list).contains("id=" + bId + " ", "name=victim", "cmd=client");
      assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(bId))).isEqualTo(new Resp.Int(1));
      assertThat(b.read()).isNull(); // closed
      Await.until("the killed client gone from CLIENT LIST",
          () -> call(a, "CLIENT", "LIST").lines().count() == 1);

      // CLIENT REPLY OFF: nothing until ON, whose own OK comes back; SKIP drops the next reply only
      a.sendRaw("CLIENT REPLY OFF\r\nGET person1\r\nPING\r\nCLIENT REPLY ON\r\n");
      assertThat(a.read()).isEqualTo(Resp.OK);
      a.sendRaw("CLIENT REPLY SKIP\r\nGET person1\r\nPING\r\n");
      assertThat(a.read()).isEqualTo(new Resp.Simple("PONG"));
    }
  }

  private static String call(RespTestClient c, String... args) {
    try {
      return ((Resp.Bulk) c.call(args)).text();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void quitClosesAfterTheRepliesBeforeIt() throws Exception {
    engine.maxDelayMillis = 20;
    try (RespTestClient c = new RespTestClient(router.port())) {
      c.sendRaw("GET person1\r\nQUIT\r\nPING\r\n");
      assertThat(c.read()).isEqualTo(Resp.Bulk.of("{ \"age\" : 22 }"));
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isNull();
    }
  }

  @Test
  void theCommandsARedisUserTriesFirst() throws Exception {
    engine.records.put("person2", new Record("person2", SetValue.builder().put("age", new IntValue(30)).build()));
    try (RespTestClient c = new RespTestClient(router.port())) {
      assertThat(c.call("TYPE", "person1")).isEqualTo(new Resp.Simple("ReJSON-RL"));
      assertThat(c.call("TYPE", "nobody")).isEqualTo(new Resp.Simple("none"));
      assertThat(c.call("EXISTS", "person1", "person2", "nobody", "person1")).isEqualTo(new Resp.Int(3));
      assertThat(c.call("DEL", "person1", "person2", "nobody")).isEqualTo(new Resp.Int(2));
      assertThat(c.call("EXISTS", "person1", "person2")).isEqualTo(new Resp.Int(0));
      assertThat(error(c.call("SET", "a", "b")).text()).isEqualTo("ERR unknown command 'SET' ("
          + kv.resp.connection.RedisAlternatives.hint("SET") + "; try: help)");
      assertThat(error(c.call("HGET", "a", "b")).text()).contains("use QUERY key.field");
      assertThat(error(c.call("DEL")).text()).isEqualTo(
          "ERR wrong number of arguments for 'DEL' (expected: DEL key [key ...])");
    }
  }

  @Test
  void aDelOfSeveralKeysSaysWhichWereDeletedWhenOneCannotBe() throws Exception {
    engine.records.put("person2", new Record("person2", SetValue.builder().put("age", new IntValue(30)).build()));
    engine.downKeys.add("person2");
    try (RespTestClient c = new RespTestClient(router.port())) {
      assertThat(error(c.call("DEL", "person2", "nobody")).text()).startsWith("TRYAGAIN cannot delete 'person2'");
      assertThat(error(c.call("DEL", "person1", "person2")).text()).isEqualTo("ERR DEL deleted 1 of 2 keys (person1)"
          + " but not all: cannot delete 'person2' reliably: replica server 127.0.0.1:9001 is down; nothing was"
          + " deleted (repeating the DEL is safe)");
    }
  }

  /* Eventual mode: MULTI opens, every command in it is refused (nothing queued), EXEC aborts. */
  @Test
  void multiIsRefusedWithoutAnEngineThatIsolatesTransactionsAndNothingIsApplied() throws Exception {
    try (RespTestClient c = new RespTestClient(router.port())) {
      // redis-py's default pipeline(): MULTI, the commands and EXEC in one write
      c.sendAll(List.of(new String[] {"MULTI"}, new String[] {"PUT", "tx1", "{ \"v\" : 1 }"},
          new String[] {"DEL", "person1"}, new String[] {"EXEC"}));
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(error(c.read()).text()).startsWith("ERR MULTI is not supported in eventual mode:")
          .contains("pipeline(transaction=False)", "strong mode");
      assertThat(error(c.read()).text()).startsWith("ERR MULTI is not supported in eventual mode:");
      assertThat(error(c.read()).text()).startsWith(
          "EXECABORT Transaction discarded because of previous errors: MULTI is not supported in eventual mode:");
      assertThat(engine.records).containsKey("person1").doesNotContainKey("tx1");
      // the connection is out of MULTI again
      assertThat(c.call("GET", "person1")).isEqualTo(Resp.Bulk.of("{ \"age\" : 22 }"));
      assertThat(error(c.call("EXEC")).text()).isEqualTo("ERR EXEC without MULTI");
      assertThat(error(c.call("DISCARD")).text()).isEqualTo("ERR DISCARD without MULTI");
      assertThat(error(c.call("WATCH", "person1")).text()).startsWith(
          "ERR WATCH is not supported: KV has no optimistic locking; MULTI is not supported in eventual mode");
      assertThat(c.call("UNWATCH")).isEqualTo(Resp.OK);
      assertThat(c.call("MULTI")).isEqualTo(Resp.OK);
      assertThat(error(c.call("MULTI")).text()).isEqualTo("ERR MULTI calls can not be nested");
      assertThat(c.call("DISCARD")).isEqualTo(Resp.OK);
      assertThat(c.call("MULTI")).isEqualTo(Resp.OK);
      assertThat(c.call("EXEC")).isEqualTo(new Resp.Array(List.of()));
    }
  }

  /* The seam a strong engine fills: a transaction on keys of one group runs atomically. */
  @Test
  void multiExecRunsAtomicallyWhereTheEngineCanAndIsRefusedAcrossGroups() throws Exception {
    engine.transactional = true;
    RouterCommands commands = new RouterCommands(engine, new CommandParser(new RecordParser()), Duration.ofSeconds(10),
        Map.of(), Clock.systemUTC());
    try (RouterServer strong = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
        RespTestClient c = new RespTestClient(strong.port())) {
      c.sendAll(List.of(new String[] {"MULTI"}, new String[] {"PUT", "pa", "{ \"v\" : 1 }"},
          new String[] {"GET", "pa"}, new String[] {"QUERY", "person1.age"}, new String[] {"DEL", "person1", "pz"},
          new String[] {"EXISTS", "pa", "person1"}, new String[] {"TYPE", "pa"}, new String[] {"EXEC"}));
      assertThat(c.read()).isEqualTo(Resp.OK);
      for (int i = 0; i < 6; i++) {
        assertThat(c.read()).isEqualTo(new Resp.Simple("QUEUED"));
      }
      assertThat(c.read()).isEqualTo(new Resp.Array(List.of(Resp.OK, Resp.Bulk.of("{ \"v\" : 1 }"),
          Resp.Bulk.of("22"), new Resp.Int(1), new Resp.Int(1), new Resp.Simple("ReJSON-RL"))));

      c.sendAll(List.of(new String[] {"MULTI"}, new String[] {"PUT", "pb", "{ \"v\" : 2 }"},
          new String[] {"PUT", "qb", "{ \"v\" : 2 }"}, new String[] {"KEYS", "*"}, new String[] {"EXEC"}));
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(new Resp.Simple("QUEUED"));
      assertThat(error(c.read()).text()).isEqualTo("CROSSSLOT keys [pb, qb] are in different groups (expected: keys of"
          + " one group)");
      assertThat(error(c.read()).text()).startsWith("ERR KEYS cannot be part of a transaction");
      assertThat(error(c.read()).text()).isEqualTo("EXECABORT Transaction discarded because of previous errors: keys"
          + " [pb, qb] are in different groups (expected: keys of one group)");
      assertThat(engine.records).doesNotContainKeys("pb", "qb");
    }
  }
}
