package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.resp.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RESP3 after HELLO 3, on the wire, and the connection commands that change a connection's state. */
class Resp3Test {
  private static KvServer server;

  @BeforeAll
  static void start() {
    server = KvServer.start(ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void hello3SwitchesTheConnectionToResp3AndResetSwitchesBack() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("GET absent\r\n");
      assertThat(c.readBytes(5)).isEqualTo("$-1\r\n");
      c.send("HELLO 3\r\n");
      Resp.Map hello = (Resp.Map) c.read();
      assertThat(hello.pairs()).hasSize(7);
      assertThat(hello.get("server")).isEqualTo(Resp.Bulk.of("kv"));
      assertThat(hello.get("version")).isEqualTo(Resp.Bulk.of(KvServer.VERSION));
      assertThat(hello.get("proto")).isEqualTo(new Resp.Int(3));
      assertThat(hello.get("id")).isInstanceOf(Resp.Int.class);
      assertThat(hello.get("mode")).isEqualTo(Resp.Bulk.of("standalone"));
      assertThat(hello.get("role")).isEqualTo(Resp.Bulk.of("master"));
      assertThat(hello.get("modules")).isEqualTo(new Resp.Array(List.of()));
      c.send("GET absent\r\nQUERY absent.x\r\n");
      assertThat(c.readBytes(6)).isEqualTo("_\r\n_\r\n");
      c.send("CONFIG GET appendonly\r\n");
      assertThat(c.readBytes(29)).isEqualTo("%1\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
      c.send("HELLO\r\n");
      assertThat(((Resp.Map) c.read()).get("proto")).isEqualTo(new Resp.Int(3));
      c.send("INFO\r\n");
      Resp info = c.read();
      assertThat(info).isInstanceOf(Resp.Verbatim.class);
      assertThat(((Resp.Verbatim) info).format()).isEqualTo("txt");
      assertThat(((Resp.Verbatim) info).text()).contains("kv_version:" + KvServer.VERSION);
      c.send("CLIENT INFO\r\n");
      assertThat(((Resp.Verbatim) c.read()).text()).contains("resp=3");
      c.send("PUT r3 : { \"a\" : 1 }\r\nGET r3\r\nEXISTS r3\r\nKEYS r3\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(Resp.Bulk.of("{ \"a\" : 1 }"));
      assertThat(c.read()).isEqualTo(new Resp.Int(1));
      assertThat(c.read()).isEqualTo(new Resp.Array(List.of(Resp.Bulk.of("r3"))));
      c.send("RESET\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Simple("RESET"));
      c.send("GET absent\r\n");
      assertThat(c.readBytes(5)).isEqualTo("$-1\r\n");
      c.send("HELLO 2\r\n");
      assertThat(c.read()).isInstanceOf(Resp.Array.class);
    }
  }

  @Test
  void clientReplyOffSkipAndOn() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("CLIENT REPLY SKIP\r\nECHO a\r\nECHO b\r\nCLIENT REPLY OFF\r\nECHO c\r\nCLIENT REPLY ON\r\nECHO d\r\n");
      assertThat(c.read()).isEqualTo(Resp.Bulk.of("b"));
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(Resp.Bulk.of("d"));
      c.send("CLIENT REPLY MAYBE\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Error("ERR syntax error (expected: CLIENT REPLY ON|OFF|SKIP)"));
    }
  }

  @Test
  void clientKillClosesTheOtherConnection() throws Exception {
    try (RawClient victim = new RawClient(server.port()); RawClient killer = new RawClient(server.port())) {
      victim.send("CLIENT ID\r\n");
      long id = ((Resp.Int) victim.read()).value();
      killer.send("CLIENT KILL ID " + id + "\r\n");
      assertThat(killer.read()).isEqualTo(new Resp.Int(1));
      assertThat(victim.closedByServer()).isTrue();
      killer.send("CLIENT KILL ID " + id + "\r\nPING\r\n");
      assertThat(killer.read()).isEqualTo(new Resp.Int(0));
      assertThat(killer.read()).isEqualTo(new Resp.Simple("PONG"));
      killer.send("CLIENT ID\r\n");
      long self = ((Resp.Int) killer.read()).value();
      killer.send("CLIENT KILL ID " + self + " SKIPME no\r\n");
      assertThat(killer.read()).isEqualTo(new Resp.Int(1));
      assertThat(killer.closedByServer()).isTrue();
    }
  }

  @Test
  void typeAndTheRedisCommandsKvDoesNotHave() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("PUT typed : { \"a\" : 1 }\r\nTYPE typed\r\nTYPE untyped\r\nSET k v\r\nHGET k f\r\nFOO\r\nAUTH pw\r\n"
          + "AUTH default pw\r\nSELECT 0\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(new Resp.Simple("ReJSON-RL"));
      assertThat(c.read()).isEqualTo(new Resp.Simple("none"));
      assertThat(((Resp.Error) c.read()).text()).startsWith("ERR unknown command 'SET' (KV stores records")
          .contains("PUT key { \"field\" : \"value\" }", "JSON.SET");
      assertThat(((Resp.Error) c.read()).text()).isEqualTo("ERR unknown command 'HGET' (use QUERY key.field or JSON.GET"
          + " key $.field)");
      assertThat(c.read()).isEqualTo(new Resp.Error("ERR unknown command 'FOO'"));
      assertThat(c.read()).isEqualTo(new Resp.Error("ERR AUTH <password> called without any password configured"
          + " for the default user. Are you sure your configuration is correct?"));
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(Resp.OK);
    }
  }
}
