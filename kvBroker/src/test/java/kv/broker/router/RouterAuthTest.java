package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kv.broker.command.CommandParser;
import kv.broker.testing.FakeEngine;
import kv.testkit.LogCapture;
import kv.broker.testing.RespTestClient;
import kv.broker.transport.netty.IoThreads;
import kv.record.RecordParser;
import kv.resp.Resp;
import kv.resp.RespLimits;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The router's port with a password, as kvServer's: NOAUTH before AUTH, WRONGPASS, AUTH, AUTH
 * user pass and HELLO 3 AUTH (Jedis, redis-cli), only small requests before AUTH, wrong passwords
 * logged with the address and slowed per address, the cluster user's CLIENT LIST.
 */
class RouterAuthTest {
  private static final String PASSWORD = "router pass";
  private static final String CLUSTER = "cluster pass";
  private static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

  private final IoThreads io = IoThreads.start(2);
  private final FakeEngine engine = new FakeEngine();
  private RouterServer router;

  private void start(Users users, AuthThrottle.Policy throttle) throws Exception {
    RouterCommands commands = new RouterCommands(engine, new CommandParser(new RecordParser()), Duration.ofSeconds(10),
        Map.of("kv_version", "test"), Clock.systemUTC(), users, throttle);
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
  }

  private void start() throws Exception {
    start(new Users(Secret.of("test", PASSWORD), Secret.of("test", CLUSTER)), AuthThrottle.DEFAULT);
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    io.close();
  }

  @Test
  void noauthBeforeAuthThenWrongpassThenTheRightPasswordWithJedis() throws Exception {
    start();
    try (Jedis jedis = new Jedis("127.0.0.1", router.port(), 10_000)) {
      for (String[] request : List.of(new String[] {"PING"}, new String[] {"GET", "k"},
          new String[] {"PUT", "k", "{ \"a\" : 1 }"}, new String[] {"INFO"}, new String[] {"KEYS", "*"})) {
        assertThatThrownBy(() -> send(jedis, request)).as(request[0]).hasMessage("NOAUTH Authentication required.");
      }
      assertThatThrownBy(() -> jedis.auth("wrong")).hasMessage(WRONGPASS);
      assertThat(jedis.auth(PASSWORD)).isEqualTo("OK");
      assertThat(send(jedis, "PUT", "k", "{ \"a\" : 1 }")).isEqualTo("OK");
      assertThat(send(jedis, "GET", "k")).isEqualTo("{ \"a\" : 1 }");
      // the clients' user may not act as the cluster
      assertThatThrownBy(() -> send(jedis, "CLIENT", "LIST"))
          .hasMessage("NOPERM User default has no permissions to run the 'client|list' command");
      assertThat(jedis.auth("cluster", CLUSTER)).isEqualTo("OK");
      assertThat((String) send(jedis, "CLIENT", "LIST")).contains("user=cluster");
    }
  }

  @Test
  void jedisWithAPasswordAndResp3AuthenticatesThroughHello() throws Exception {
    start();
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password(PASSWORD)
        .protocol(RedisProtocol.RESP3).timeoutMillis(10_000).build();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", router.port()), config)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(send(jedis, "PUT", "h", "{ \"b\" : 2 }")).isEqualTo("OK");
      assertThat(send(jedis, "GET", "h")).isEqualTo("{ \"b\" : 2 }");
    }
    try (RespTestClient c = new RespTestClient(router.port())) {
      Resp hello = c.call("HELLO", "3", "AUTH", "default", PASSWORD);
      assertThat(hello).isInstanceOf(Resp.Map.class);
      assertThat(((Resp.Map) hello).get("proto")).isEqualTo(new Resp.Int(3));
      assertThat(c.call("HELLO", "3", "AUTH", "default", "wrong")).isEqualTo(new Resp.Error(WRONGPASS));
    }
  }

  @Test
  void beforeAuthOnlySmallRequestsAreRead() throws Exception {
    start();
    try (RespTestClient c = new RespTestClient(router.port())) {
      c.sendRaw("*2\r\n$3\r\nGET\r\n$20000\r\n");
      Resp reply = c.read();
      assertThat(reply).isInstanceOf(Resp.Error.class);
      assertThat(((Resp.Error) reply).text()).startsWith("ERR Protocol error").contains("16384");
    }
    try (RespTestClient c = new RespTestClient(router.port())) {
      assertThat(c.call("AUTH", PASSWORD)).isEqualTo(new Resp.Simple("OK"));
      String big = "x".repeat(20_000);
      assertThat(c.call("ECHO", big)).isEqualTo(Resp.Bulk.of(big));
    }
  }

  @Test
  void wrongPasswordsAreLoggedWithTheAddressAndTheNextAttemptWaitsItsTurn() throws Exception {
    // a long first delay: the attempt after a failure surely waits while the other client is served
    start(new Users(Secret.of("test", PASSWORD), null),
        new AuthThrottle.Policy(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(10),
            Duration.ofMinutes(5)));
    try (LogCapture log = new LogCapture("kv.broker.router");
        RespTestClient guesser = new RespTestClient(router.port());
        RespTestClient other = new RespTestClient(router.port())) {
      assertThat(guesser.call("AUTH", "guess1")).isEqualTo(new Resp.Error(WRONGPASS));
      assertThat(log.warnings()).singleElement().satisfies(m -> assertThat(m).matches(
          "client 127\\.0\\.0\\.1:\\d+: wrong password for user 'default' \\(1 failed authentications from 127\\.0\\.0\\.1"
              + " recently\\)"));
      assertThat(String.join("\n", log.messages())).doesNotContain("guess1");
      guesser.send("AUTH", PASSWORD);
      guesser.send("PING");
      // the same address waits 30 s for its next attempt; meanwhile a request that is no attempt is served
      // on another connection (a connection already authenticated would be too; this one is not, so NOAUTH)
      assertThat(other.call("PING")).isEqualTo(new Resp.Error("NOAUTH Authentication required."));
      assertThat(guesser.silentFor(1000)).as("the attempt and what follows it wait for its turn").isTrue();
    }
  }

  @Test
  void redisCliWithPasswordUserAndAskpass() throws Exception {
    assumeThat(redisCli(null, "--version")).as("redis-cli installed").startsWith("redis-cli");
    start();
    assertThat(redisCli(null, "PING")).isEqualTo("(error) NOAUTH Authentication required.");
    assertThat(redisCli(null, "-a", PASSWORD, "--no-auth-warning", "PUT", "cli", "{ \"v\" : 1 }")).isEqualTo("OK");
    assertThat(redisCli(null, "-a", PASSWORD, "--no-auth-warning", "GET", "cli")).isEqualTo("\"{ \\\"v\\\" : 1 }\"");
    assertThat(redisCli(null, "--user", "default", "--pass", PASSWORD, "--no-auth-warning", "-3", "GET", "cli"))
        .isEqualTo("\"{ \\\"v\\\" : 1 }\"");
    assertThat(redisCli(PASSWORD + "\n", "--askpass", "GET", "cli")).endsWith("\"{ \\\"v\\\" : 1 }\"");
    assertThat(redisCli(null, "-a", "wrong", "--no-auth-warning", "PING")).contains(WRONGPASS);
  }

  private static Object send(Jedis jedis, String... args) {
    Object reply = jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.UTF_8),
        java.util.Arrays.copyOfRange(args, 1, args.length));
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : reply;
  }

  private String redisCli(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(router == null ? 1 : router.port())));
    if (!args[0].equals("--version")) {
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
}
