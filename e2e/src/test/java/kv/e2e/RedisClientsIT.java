package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The compatibility matrix (README: Redis clients): each client with its default settings against
 * a kvServer, against the broker's port (three kvServers, k = 2) and against a strong broker's port
 * ({@code kvBroker --strong} in front of three {@code kvServer --strong}), all real processes started
 * through bin/: GET/QUERY/PUT/DELETE through the client's generic command call, its default
 * pipeline (MULTI/EXEC refused with nothing applied where that is the default; in strong mode
 * executed, its keys being in one Raft group), SCAN iteration
 * with its helper, and its JSON helpers (every port has JSON.*). The Python and Node clients run
 * the scripts in compat/, which .ci/run installs ({@code npm ci}, Debian's python3-redis, redis-py
 * 8 in compat/.venv where the machine's pip index has it); without CI=true a missing client is
 * skipped, under CI it fails (but redis-py 8, which PyPI being out of reach may prevent).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClientsIT {
  private static final Path COMPAT = Launchers.ROOT.resolve("compat");
  private static final String RECORD = "{ \"name\" : \"John\" ; \"age\" : 22 }";
  private Path dir;
  private final List<Launchers.Server> processes = new ArrayList<>();
  private StrongProcesses strong;
  private int serverPort;
  private int brokerPort;
  private int strongBrokerPort;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("kv-clients");
    Launchers.Server single = Launchers.startServer(dir);
    processes.add(single);
    serverPort = single.port();
    List<Launchers.Server> three = Launchers.startServers(dir, 3);
    processes.addAll(three);
    Launchers.Server broker = Launchers.startRouter(dir, Launchers.serverFile(dir, three), 2);
    processes.add(broker);
    brokerPort = broker.port();
    strong = StrongProcesses.start(Files.createDirectories(dir.resolve("strong")));
    strongBrokerPort = strong.broker().port();
  }

  @AfterAll
  void stop() throws Exception {
    for (Launchers.Server p : processes) {
      p.close();
    }
    if (strong != null) {
      strong.close();
    }
  }

  private int port(String kind) {
    return switch (kind) {
      case "server" -> serverPort;
      case "broker" -> brokerPort;
      default -> strongBrokerPort;
    };
  }

  static Stream<Arguments> scripts() {
    List<Arguments> out = new ArrayList<>();
    for (String kind : List.of("server", "broker", "strong-broker")) {
      out.add(Arguments.of("redis-py (Debian python3-redis, RESP2)", List.of("/usr/bin/python3", "redis_py.py"), kind));
      out.add(Arguments.of("redis-py 8 (RESP3)", List.of(COMPAT.resolve(".venv/bin/python").toString(), "redis_py.py"),
          kind));
      out.add(Arguments.of("node-redis", List.of("node", "node-redis.mjs"), kind));
      out.add(Arguments.of("ioredis", List.of("node", "ioredis.mjs"), kind));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} against the {2}")
  @MethodSource("scripts")
  void scriptedClient(String client, List<String> command, String kind) throws Exception {
    String missing = missing(command);
    if (missing != null) {
      // .ci/run installs them all; redis-py 8 only where the machine's own pip index has it (no PyPI here)
      boolean optional = client.startsWith("redis-py 8");
      assertThat(!optional && "true".equals(System.getenv("CI"))).as("%s missing under CI: %s", client, missing).isFalse();
      assumeThat(missing).as(client + " installed").isNull();
    }
    List<String> args = new ArrayList<>(command);
    args.add(Integer.toString(port(kind)));
    args.add(kind);
    Process p = new ProcessBuilder(args).directory(COMPAT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", client).isTrue();
    System.out.println("== " + client + " against the " + kind + " (port " + port(kind) + ")\n" + out);
    assertThat(p.exitValue()).as("%s exit code; it printed:\n%s", client, out).isZero();
    assertThat(out).contains("ok generic", "ok scan").endsWith("done\n");
    if (!client.equals("ioredis")) { // ioredis has no JSON helpers
      assertThat(out).as("%s JSON helpers against the %s", client, kind).contains("ok json");
    }
  }

  /** Why the client of {@code command} cannot run here, or null. */
  private static String missing(List<String> command) {
    String program = command.get(0);
    try {
      if (program.equals("node")) {
        return Files.isDirectory(COMPAT.resolve("node_modules/redis")) && Files.isDirectory(COMPAT.resolve(
            "node_modules/ioredis")) ? run("node", "--version") : "no compat/node_modules (cd compat && npm ci)";
      }
      if (!Files.isExecutable(Path.of(program))) {
        return program + " is missing (python3 -m venv compat/.venv && compat/.venv/bin/pip install 'redis>=8')";
      }
      return run(program, "-c", "import redis");
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
  }

  private enum Kv implements ProtocolCommand, ProtocolKeyword {
    PUT, QUERY, DELETE;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getBytes() {
      return getRaw();
    }
  }

  private static String text(Object reply) {
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  static Stream<String> kinds() {
    return Stream.of("server", "broker", "strong-broker");
  }

  /* Jedis 5 with its defaults (RESP2); its default pipeline has no MULTI. */
  @ParameterizedTest(name = "Jedis against the {0}")
  @MethodSource("kinds")
  void jedis(String kind) {
    String p = "compat_jedis_";
    try (Jedis jedis = new Jedis("127.0.0.1", port(kind))) {
      jedis.del(p + "tx", p + "dpx");
      assertThat(text(jedis.sendCommand(Kv.PUT, p + "john", RECORD))).isEqualTo("OK");
      assertThat(jedis.get(p + "john")).isEqualTo(RECORD);
      assertThat(text(jedis.sendCommand(Kv.QUERY, p + "john.age"))).isEqualTo("22");
      assertThat(jedis.get(p + "absent")).isNull();
      assertThat(jedis.type(p + "john")).isEqualTo("ReJSON-RL");
      assertThat(jedis.sendCommand(Kv.DELETE, p + "john")).isEqualTo(1L);

      jedis.sendCommand(Kv.PUT, p + "dpx", "{ \"v\" : 1 }");
      Pipeline pipeline = jedis.pipelined();
      Response<Long> del = pipeline.del(p + "dpx");
      Response<Object> put = pipeline.sendCommand(Kv.PUT, p + "dpx", "{ \"v\" : 3 }");
      Response<String> get = pipeline.get(p + "dpx");
      pipeline.sync();
      assertThat(List.of(del.get(), text(put.get()), get.get())).containsExactly(1L, "OK", "{ \"v\" : 3 }");
      assertThat(jedis.get(p + "dpx")).isEqualTo("{ \"v\" : 3 }");

      Transaction t = jedis.multi();
      t.sendCommand(Kv.PUT, p + "tx", RECORD);
      if (kind.equals("strong-broker")) {
        // one key, so one Raft group: the transaction is one entry of its log
        assertThat(t.exec()).hasSize(1).allSatisfy(r -> assertThat(text(r)).isEqualTo("OK"));
        assertThat(jedis.get(p + "tx")).isEqualTo(RECORD);
      } else {
        assertThatThrownBy(t::exec).isInstanceOf(JedisDataException.class).hasMessageContaining("EXECABORT")
            .hasMessageContaining("MULTI is not supported");
        assertThat(jedis.get(p + "tx")).isNull();
      }

      for (int i = 0; i < 25; i++) {
        jedis.sendCommand(Kv.PUT, p + "scan" + i, "{ \"i\" : " + i + " }");
      }
      List<String> keys = new ArrayList<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(p + "scan*").count(7));
        keys.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      assertThat(keys).hasSize(25).doesNotHaveDuplicates();
      assertThat(jedis.del(keys.toArray(new String[0]))).isEqualTo(25L);
    }
  }

  /* redis-cli (Debian's redis-tools, which .ci/run installs) against the strong broker: RESP3, --pipe, MULTI/EXEC, INFO. */
  @org.junit.jupiter.api.Test
  void redisCliAgainstTheStrongBroker() throws Exception {
    String version = redisCli(null, "--version");
    assertThat(version == null && "true".equals(System.getenv("CI"))).as("redis-cli missing under CI").isFalse();
    assumeThat(version).as("redis-cli installed").isNotNull();
    String p = "compat_cli_";
    String input = "PUT " + p + "1 : { \"v\" : 1 }\r\nPUT " + p + "2 : { \"v\" : 2 }\r\nDEL " + p + "1\r\n";
    assertThat(redisCli(input, "--pipe")).contains("errors: 0, replies: 3");
    assertThat(redisCli(null, "-3", "GET", p + "2")).isEqualTo("\"{ \\\"v\\\" : 2 }\"");
    assertThat(redisCli(null, "-3", "GET", p + "1")).isEqualTo("(nil)");
    assertThat(redisCli("MULTI\nPUT " + p + "tx '{ \"v\" : 3 }'\nGET " + p + "tx\nEXEC\n"))
        .isEqualTo("OK\nQUEUED\nQUEUED\n1) OK\n2) \"{ \\\"v\\\" : 3 }\"");
    assertThat(redisCli(null, "INFO", "raft")).contains("# Raft", "raft_groups:1", "raft_k:3")
        .containsPattern("group0:leader=127\\.0\\.0\\.1:\\d+,raft_term=\\d+,commit_idx=\\d+");
    assertThat(redisCli(null, "--scan", "--pattern", p + "*")).isEqualTo(p + "2\n" + p + "tx");
    assertThat(redisCli(null, "DEL", p + "2", p + "tx")).isEqualTo("(integer) 2");
  }

  /** redis-cli's output (standard error too) against the strong broker, or null if it is not installed. */
  private String redisCli(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(strongBrokerPort)));
    if (args.length == 0 || !List.of("--pipe", "--scan", "--version").contains(args[0])) {
      command.add("--no-raw");
    }
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("redis-cli %s finished", command).isTrue();
    return out;
  }

  private static CommandArgs<String, String> args(String... args) {
    CommandArgs<String, String> out = new CommandArgs<>(StringCodec.UTF8);
    for (String a : args) {
      out.add(a);
    }
    return out;
  }

  /* Lettuce 6.5 with its defaults (RESP3 after HELLO 3); its pipeline is asynchronous commands. */
  @ParameterizedTest(name = "Lettuce against the {0}")
  @MethodSource("kinds")
  void lettuce(String kind) throws Exception {
    String p = "compat_lettuce_";
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + port(kind));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      sync.del(p + "tx", p + "dpx");
      assertThat(sync.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args(p + "john", RECORD))).isEqualTo("OK");
      assertThat(sync.get(p + "john")).isEqualTo(RECORD);
      assertThat(sync.dispatch(Kv.QUERY, new ValueOutput<>(StringCodec.UTF8), args(p + "john.age"))).isEqualTo("22");
      assertThat(sync.get(p + "absent")).isNull();
      assertThat(sync.type(p + "john")).isEqualTo("ReJSON-RL");
      assertThat(sync.dispatch(Kv.DELETE, new IntegerOutput<>(StringCodec.UTF8), args(p + "john"))).isEqualTo(1L);
      assertThat(sync.clientInfo()).contains("resp=3", "lib-name=Lettuce");

      sync.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args(p + "dpx", "{ \"v\" : 1 }"));
      RedisAsyncCommands<String, String> async = connection.async();
      connection.setAutoFlushCommands(false);
      RedisFuture<Long> del = async.del(p + "dpx");
      RedisFuture<String> put = async.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args(p + "dpx", "{ \"v\" : 3 }"));
      RedisFuture<String> get = async.get(p + "dpx");
      connection.flushCommands();
      connection.setAutoFlushCommands(true);
      assertThat(List.of(del.get(10, TimeUnit.SECONDS), put.get(10, TimeUnit.SECONDS), get.get(10, TimeUnit.SECONDS)))
          .containsExactly(1L, "OK", "{ \"v\" : 3 }");

      assertThat(sync.multi()).isEqualTo("OK");
      async.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args(p + "tx", RECORD));
      if (kind.equals("strong-broker")) {
        // one key, so one Raft group: the transaction is one entry of its log
        assertThat(sync.exec().<String>get(0)).isEqualTo("OK");
        assertThat(sync.get(p + "tx")).isEqualTo(RECORD);
      } else {
        assertThatThrownBy(sync::exec).isInstanceOf(RedisCommandExecutionException.class)
            .hasMessageContaining("EXECABORT").hasMessageContaining("MULTI is not supported");
        assertThat(sync.get(p + "tx")).isNull();
      }

      for (int i = 0; i < 25; i++) {
        sync.dispatch(Kv.PUT, new StatusOutput<>(StringCodec.UTF8), args(p + "scan" + i, "{ \"i\" : " + i + " }"));
      }
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(sync, ScanArgs.Builder.matches(p + "scan*").limit(7)).forEachRemaining(keys::add);
      assertThat(keys).hasSize(25).doesNotHaveDuplicates();
      assertThat(sync.del(keys.toArray(new String[0]))).isEqualTo(25L);
    } finally {
      client.shutdown(0, 10, TimeUnit.SECONDS);
    }
  }
}
