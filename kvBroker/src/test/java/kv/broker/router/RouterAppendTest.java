package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import kv.broker.command.CommandParser;
import kv.broker.eventual.RealCluster;
import kv.broker.testing.RespTestClient;
import kv.record.RecordParser;
import kv.resp.Resp;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/** APPEND and SETVALUE on the router port, as kvServer answers them, against three real kvServers (k = 2). */
class RouterAppendTest {
  private enum Cmd implements ProtocolCommand {
    SETVALUE;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  private final RealCluster cluster = new RealCluster(3, 2);
  private final RouterServer router;

  RouterAppendTest() throws Exception {
    RouterCommands commands = new RouterCommands(cluster.service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(20), Map.of("kv_version", "test"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, cluster.io);
  }

  @AfterEach
  void stop() {
    router.close();
    cluster.close();
  }

  @Test
  void jedisAppendGetsTheListsLengthAndGetTheCanonicalList() {
    try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
      assertThat(jedis.sendCommand(Cmd.SETVALUE, "pets", "[\"cat\",\"dog\"]")).isEqualTo("OK".getBytes(StandardCharsets.UTF_8));
      assertThat(jedis.append("pets", "mouse")).isEqualTo(3L);
      assertThat(jedis.append("pets", "\"two words\"")).isEqualTo(4L);
      assertThat(jedis.get("pets")).isEqualTo("[ \"cat\" ; \"dog\" ; \"mouse\" ; \"two words\" ]");
      assertThat(jedis.append("new-list", "1")).isEqualTo(1L);

      jedis.sendCommand(Cmd.SETVALUE, "greeting", "\"hello\"");
      assertThatThrownBy(() -> jedis.append("greeting", "x")).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR APPEND greeting: the value there is a string, not a list (APPEND adds to a list; PUT"
              + " replaces a value)");
      assertThat(jedis.ping()).as("the connection stays usable").isEqualTo("PONG");
    }
  }

  @Test
  void inlineAppendAndSetValueTakeTheRestOfTheLine() throws Exception {
    try (RespTestClient client = new RespTestClient(router.port())) {
      // One at a time: pipelined commands on one key take effect in order only once the router orders them.
      client.sendRaw("SETVALUE \"a b\" { \"tags\" : [ \"x\" ] }\r\n");
      assertThat(client.read()).isEqualTo(Resp.OK);
      client.sendRaw("APPEND \"a b\".tags \"two words\"\r\n");
      assertThat(client.read()).isEqualTo(new Resp.Int(2));
      client.sendRaw("GET \"a b\"\r\n");
      assertThat(client.read()).isEqualTo(Resp.Bulk.of("{ \"tags\" : [ \"x\" ; \"two words\" ] }"));
    }
  }
}
