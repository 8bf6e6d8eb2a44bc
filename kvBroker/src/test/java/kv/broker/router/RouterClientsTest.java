package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kv.broker.command.CommandParser;
import kv.broker.eventual.RealCluster;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Real Redis clients with their default settings against the router in front of three real
 * kvServers (k = 2): Lettuce (RESP3 by default) and Jedis with RESP3; commands, pipelines in
 * order, SCAN iteration, and MULTI refused in eventual mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterClientsTest {
  private static final String RECORD = "{ \"name\" : \"John\" ; \"age\" : 22 }";
  private RealCluster cluster;
  private RouterServer router;

  @BeforeAll
  void start() throws Exception {
    cluster = new RealCluster(3, 2);
    RouterCommands commands = new RouterCommands(cluster.service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(10), Map.of("kv_version", "test"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, cluster.io);
  }

  @AfterAll
  void stop() {
    router.close();
    cluster.close();
  }

  private enum Kv implements ProtocolKeyword {
    PUT, QUERY;

    @Override
    public byte[] getBytes() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static CommandArgs<String, String> args(String... args) {
    CommandArgs<String, String> out = new CommandArgs<>(StringCodec.UTF8);
    for (String a : args) {
      out.add(a);
    }
    return out;
  }

  @Test
  void lettuceWithItsDefaults() throws Exception {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + router.port());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      assertThat(sync.ping()).isEqualTo("PONG");
      assertThat(sync.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args("lettuce1", RECORD))).isEqualTo("OK");
      assertThat(sync.get("lettuce1")).isEqualTo(RECORD);
      assertThat(sync.get("lettuce-absent")).isNull();
      assertThat(sync.dispatch(Kv.QUERY, new ValueOutput<>(StringCodec.UTF8), args("lettuce1.age"))).isEqualTo("22");
      assertThat(sync.type("lettuce1")).isEqualTo("ReJSON-RL");
      assertThat(sync.clientList()).contains("lib-name=Lettuce", "resp=3");

      // the default pipeline: asynchronous commands, flushed together, answered in order
      RedisAsyncCommands<String, String> async = connection.async();
      connection.setAutoFlushCommands(false);
      RedisFuture<Long> del = async.del("lettuce1");
      RedisFuture<String> put = async.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8),
          args("lettuce1", "{ \"v\" : 3 }"));
      RedisFuture<String> get = async.get("lettuce1");
      connection.flushCommands();
      connection.setAutoFlushCommands(true);
      assertThat(del.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
      assertThat(put.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
      assertThat(get.get(10, TimeUnit.SECONDS)).isEqualTo("{ \"v\" : 3 }");
      assertThat(sync.get("lettuce1")).isEqualTo("{ \"v\" : 3 }");

      for (int i = 0; i < 25; i++) {
        sync.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args("lscan" + i, "{ \"i\" : " + i + " }"));
      }
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(sync, ScanArgs.Builder.matches("lscan*").limit(7)).forEachRemaining(keys::add);
      assertThat(keys).hasSize(25).doesNotHaveDuplicates();
      KeyScanCursor<String> first = sync.scan(ScanArgs.Builder.matches("lscan*").limit(100));
      assertThat(first.getKeys()).hasSize(25);
      assertThat(sync.del(keys.toArray(new String[0]))).isEqualTo(25L);

      // MULTI in eventual mode: opened, every command refused, EXEC aborts with the reason
      assertThat(sync.multi()).isEqualTo("OK");
      RedisFuture<String> queued = async.get("lettuce1");
      assertThatThrownBy(sync::exec).isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageContaining("EXECABORT").hasMessageContaining("MULTI is not supported in eventual mode");
      assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasMessageContaining("MULTI is not supported");
      assertThat(sync.get("lettuce1")).isEqualTo("{ \"v\" : 3 }");
    } finally {
      client.shutdown(0, 10, TimeUnit.SECONDS);
    }
  }

  /* redis-cli from Debian's redis-tools (.ci/run installs it): RESP3, --pipe and --scan. */
  @Test
  void redisCli() throws Exception {
    assumeThat(redisCli(null, "--version")).as("redis-cli installed").startsWith("redis-cli");
    String input = "PUT cli1 : { \"v\" : 1 }\r\nPUT cli2 : { \"v\" : 2 }\r\nDEL cli1\r\n";
    assertThat(redisCli(input, "--pipe")).contains("errors: 0, replies: 3");
    assertThat(redisCli(null, "-3", "GET", "cli2")).isEqualTo("\"{ \\\"v\\\" : 2 }\"");
    assertThat(redisCli(null, "-3", "GET", "cli1")).isEqualTo("(nil)");
    assertThat(redisCli(null, "-3", "HELLO", "3")).contains("1# \"server\" => \"kvBroker\"", "3# \"proto\" => (integer) 3");
    assertThat(redisCli(null, "--scan", "--pattern", "cli*")).isEqualTo("cli2");
    assertThat(redisCli(null, "-3", "SET", "a", "b")).startsWith("(error) ERR unknown command 'SET' (KV stores records");
  }

  private String redisCli(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(router.port())));
    if (!args[0].equals("--pipe") && !args[0].equals("--scan") && !args[0].equals("--version")) {
      command.add("--no-raw");
    }
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      return "not installed: " + e.getMessage();
    }
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private Jedis jedis(RedisProtocol protocol) {
    return new Jedis(new HostAndPort("127.0.0.1", router.port()),
        DefaultJedisClientConfig.builder().protocol(protocol).clientName("jedis-" + protocol).timeoutMillis(10_000).build());
  }

  @Test
  void jedisWithResp3() {
    try (Jedis jedis = jedis(RedisProtocol.RESP3)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.sendCommand(RouterServerTest.Cmd.PUT, "jedis3", RECORD)).isEqualTo("OK".getBytes(StandardCharsets.UTF_8));
      assertThat(jedis.get("jedis3")).isEqualTo(RECORD);
      assertThat(jedis.get("jedis3-absent")).isNull();
      assertThat(jedis.exists("jedis3", "jedis3-absent")).isEqualTo(1L);
      assertThat(jedis.type("jedis3")).isEqualTo("ReJSON-RL");
      assertThat(jedis.clientGetname()).isEqualTo("jedis-RESP3");
      assertThat(jedis.clientInfo()).contains("resp=3", "lib-name=jedis");
      assertThat(jedis.configGet("save")).isEqualTo(Map.of("save", ""));

      // the default pipeline (no MULTI): in order, on one key
      Pipeline p = jedis.pipelined();
      Response<Long> del = p.del("jedis3");
      Response<Object> put = p.sendCommand(RouterServerTest.Cmd.PUT, "jedis3", "{ \"v\" : 3 }");
      Response<String> get = p.get("jedis3");
      p.sync();
      assertThat(del.get()).isEqualTo(1L);
      assertThat(get.get()).isEqualTo("{ \"v\" : 3 }");
      assertThat(jedis.get("jedis3")).isEqualTo("{ \"v\" : 3 }");

      for (int i = 0; i < 12; i++) {
        jedis.sendCommand(RouterServerTest.Cmd.PUT, "jscan" + i, "{ \"i\" : " + i + " }");
      }
      List<String> keys = new ArrayList<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("jscan*").count(5));
        keys.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      assertThat(keys).hasSize(12).doesNotHaveDuplicates();
      assertThat(jedis.del(keys.toArray(new String[0]))).isEqualTo(12L);

      Transaction t = jedis.multi();
      t.get("jedis3");
      assertThatThrownBy(t::exec).isInstanceOf(JedisDataException.class)
          .hasMessageContaining("EXECABORT").hasMessageContaining("MULTI is not supported in eventual mode");
      assertThat(jedis.get("jedis3")).isEqualTo("{ \"v\" : 3 }");
    }
  }
}
