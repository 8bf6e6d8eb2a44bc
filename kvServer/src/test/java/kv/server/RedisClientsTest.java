package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Real Redis clients with their default settings, RESP3 and RESP2, against a real kvServer. */
class RedisClientsTest {
  private static final String RECORD = "{ \"name\" : \"John\" ; \"age\" : 22 }";
  private static KvServer server;

  @BeforeAll
  static void start() {
    server = KvServer.start(ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Jedis jedis(RedisProtocol protocol) {
    return new Jedis(new HostAndPort("127.0.0.1", server.port()),
        DefaultJedisClientConfig.builder().protocol(protocol).clientName("jedis-" + protocol).timeoutMillis(10_000).build());
  }

  @Test
  void jedisWithResp3() {
    try (Jedis jedis = jedis(RedisProtocol.RESP3)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(ServerFixture.send(jedis, Cmd.PUT, "jedis3", RECORD)).isEqualTo("OK");
      assertThat(jedis.get("jedis3")).isEqualTo(RECORD);
      assertThat(jedis.get("jedis3-absent")).isNull();
      assertThat(ServerFixture.send(jedis, Cmd.QUERY, "jedis3.age")).isEqualTo("22");
      assertThat(jedis.exists("jedis3")).isTrue();
      assertThat(jedis.type("jedis3")).isEqualTo("ReJSON-RL");
      assertThat(jedis.configGet("save")).isEqualTo(Map.of("save", ""));
      assertThat(jedis.info()).contains("kv_version:");
      assertThat(jedis.clientGetname()).isEqualTo("jedis-RESP3");
      assertThat(jedis.clientInfo()).contains("resp=3", "lib-name=jedis");
      ScanResult<String> page = jedis.scan("0", new ScanParams().match("jedis3*"));
      assertThat(page.getResult()).containsExactly("jedis3");
      assertThat(jedis.del("jedis3")).isEqualTo(1);
      assertThat(jedis.get("jedis3")).isNull();
    }
  }

  @Test
  void jedisWithResp2() {
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      assertThat(ServerFixture.send(jedis, Cmd.PUT, "jedis2", RECORD)).isEqualTo("OK");
      assertThat(jedis.get("jedis2")).isEqualTo(RECORD);
      assertThat(jedis.get("jedis2-absent")).isNull();
      assertThat(jedis.configGet("appendonly")).isEqualTo(Map.of("appendonly", "no"));
      assertThat(jedis.clientInfo()).contains("resp=2", "name=jedis-RESP2");
      assertThat(jedis.keys("jedis2*")).containsExactly("jedis2");
    }
  }

  private enum Kv implements ProtocolKeyword {
    PUT, QUERY;

    @Override
    public byte[] getBytes() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  /* Lettuce negotiates RESP3 with HELLO 3 by default and sends CLIENT SETINFO. */
  @Test
  void lettuceWithItsDefaults() {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      assertThat(sync.ping()).isEqualTo("PONG");
      String put = sync.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).addKey("lettuce").addValue(RECORD));
      assertThat(put).isEqualTo("OK");
      assertThat(sync.get("lettuce")).isEqualTo(RECORD);
      assertThat(sync.get("lettuce-absent")).isNull();
      assertThat(sync.exists("lettuce", "lettuce-absent")).isEqualTo(1L);
      assertThat(sync.configGet("save")).isEqualTo(Map.of("save", ""));
      assertThat(sync.clientList()).contains("lib-name=Lettuce", "resp=3");
      assertThat(sync.del("lettuce")).isEqualTo(1L);
    } finally {
      client.shutdown(0, 10, TimeUnit.SECONDS);
    }
  }

  /* redis-cli from Debian's redis-tools (.ci/run installs it). */
  @Test
  void redisCliWithResp3() throws Exception {
    assumeThat(redisCliInstalled()).as("redis-cli installed").isTrue();
    assertThat(redisCli("-3", "PUT", "cli3", RECORD)).isEqualTo("OK");
    assertThat(redisCli("-3", "TYPE", "cli3-absent")).isEqualTo("none");
    assertThat(redisCli("-3", "GET", "cli3")).isEqualTo("\"" + RECORD.replace("\"", "\\\"") + "\"");
    assertThat(redisCli("-3", "GET", "cli3-absent")).isEqualTo("(nil)");
    assertThat(redisCli("-3", "CONFIG", "GET", "save")).isEqualTo("1# \"save\" => \"\"");
    assertThat(redisCli("-3", "HELLO", "3")).contains("1# \"server\" => \"kv\"", "3# \"proto\" => (integer) 3");
    assertThat(redisCli("-3", "TYPE", "cli3")).isEqualTo("ReJSON-RL");
    assertThat(redisCli("-3", "SET", "a", "b")).startsWith("(error) ERR unknown command 'SET' (KV stores records");
  }

  private static boolean redisCliInstalled() {
    try {
      return new ProcessBuilder("redis-cli", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String redisCli(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "--no-raw", "-p", Integer.toString(server.port())));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
