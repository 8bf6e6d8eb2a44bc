package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import kv.resp.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MULTI/EXEC on kvServer: a server cannot isolate a transaction, so nothing sent inside MULTI is
 * queued or run (redis-py's default pipeline() sends MULTI, the commands and EXEC in one write).
 */
class MultiRefusedTest {
  private static KvServer server;

  @BeforeAll
  static void start() {
    server = KvServer.start(ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String error(Resp reply) {
    assertThat(reply).isInstanceOf(Resp.Error.class);
    return ((Resp.Error) reply).text();
  }

  @Test
  void commandsInsideMultiAreRefusedNotRunAndExecAborts() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("PUT kept : { \"v\" : 1 }\r\nMULTI\r\nPUT tx : { \"v\" : 1 }\r\nDEL kept\r\nPING\r\nEXEC\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(error(c.read())).startsWith("ERR MULTI is not supported by kvServer:")
          .contains("pipeline(transaction=False)");
      assertThat(error(c.read())).startsWith("ERR MULTI is not supported by kvServer:");
      assertThat(error(c.read())).startsWith("ERR MULTI is not supported by kvServer:");
      assertThat(error(c.read())).startsWith(
          "EXECABORT Transaction discarded because of previous errors: MULTI is not supported by kvServer:");
      c.send("GET tx\r\nEXISTS kept\r\n");
      assertThat(c.read()).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.read()).isEqualTo(new Resp.Int(1));
    }
  }

  @Test
  void discardResetAndTheErrorsRedisGives() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("EXEC\r\nDISCARD\r\nUNWATCH\r\nWATCH k\r\n");
      assertThat(error(c.read())).isEqualTo("ERR EXEC without MULTI");
      assertThat(error(c.read())).isEqualTo("ERR DISCARD without MULTI");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(error(c.read())).startsWith("ERR WATCH is not supported: KV has no optimistic locking;");
      c.send("MULTI\r\nMULTI\r\nDISCARD\r\nGET k\r\nMULTI\r\nRESET\r\nGET k\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(error(c.read())).isEqualTo("ERR MULTI calls can not be nested");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(new Resp.Simple("RESET"));
      assertThat(c.read()).isEqualTo(Resp.NullBulk.INSTANCE);
      c.send("COMMAND DOCS multi\r\n");
      assertThat(c.read().toString()).contains("transactions");
    }
  }
}
