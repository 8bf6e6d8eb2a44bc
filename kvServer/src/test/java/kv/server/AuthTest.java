package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import kv.resp.Resp;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import kv.testkit.LogCapture;

/**
 * A server with the clients' password: NOAUTH before AUTH, WRONGPASS, AUTH and HELLO AUTH as
 * Redis (Jedis with RESP2 and RESP3, redis-cli -a, --user and --askpass), RESET logs out, small
 * requests before AUTH, wrong passwords slowed without stalling anyone and logged, passwords
 * never in the request log.
 */
class AuthTest {
  private static final String PASSWORD = "s3cret pass";
  private static final String RECORD = "{ \"name\" : \"John\" }";
  private KvServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private KvServer start(Users users, AuthThrottle.Policy throttle) {
    server = KvServer.start(ServerConfig.defaults().withQuiet(false)
        .withSecurity(SecurityConfig.NONE.withUsers(users).withThrottle(throttle)));
    return server;
  }

  private KvServer start() {
    return start(new Users(Secret.of("test", PASSWORD), null), AuthThrottle.DEFAULT);
  }

  private static Jedis jedis(KvServer server) {
    return new Jedis("127.0.0.1", server.port(), 10_000);
  }

  @Test
  void everyCommandButAuthHelloQuitAndResetNeedsAuthFirst() throws Exception {
    start();
    try (Jedis jedis = jedis(server)) {
      for (Cmd cmd : List.of(Cmd.PING, Cmd.GET, Cmd.KEYS, Cmd.INFO, Cmd.COMMAND, Cmd.CONFIG, Cmd.CLIENT, Cmd.VGET)) {
        String[] args = switch (cmd) {
          case GET, KEYS, VGET -> new String[] {"k"};
          case CONFIG -> new String[] {"GET", "save"};
          case CLIENT -> new String[] {"ID"};
          default -> new String[0];
        };
        assertThat(error(jedis, cmd, args)).as(cmd.name()).isEqualTo("NOAUTH Authentication required.");
      }
      assertThat(error(jedis, Cmd.HELLO, "3")).isEqualTo("NOAUTH HELLO must be called with the client already"
          + " authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the"
          + " client and select the RESP protocol version at the same time");
      assertThat(error(jedis, Cmd.AUTH, "wrong")).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
      assertThat(error(jedis, Cmd.AUTH, "nobody", PASSWORD))
          .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
      assertThat(send(jedis, Cmd.RESET)).isEqualTo("RESET");
      assertThat(send(jedis, Cmd.AUTH, PASSWORD)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.PUT, "k", RECORD)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.GET, "k")).isEqualTo(RECORD);
      // RESET logs out, as Redis's RESET does when the default user has a password
      assertThat(send(jedis, Cmd.RESET)).isEqualTo("RESET");
      assertThat(error(jedis, Cmd.GET, "k")).isEqualTo("NOAUTH Authentication required.");
      assertThat(send(jedis, Cmd.AUTH, "default", PASSWORD)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.GET, "k")).isEqualTo(RECORD);
      assertThat(send(jedis, Cmd.QUIT)).isEqualTo("OK");
    }
    try (Jedis jedis = jedis(server)) {
      assertThat(send(jedis, Cmd.QUIT)).as("QUIT before AUTH").isEqualTo("OK");
    }
  }

  @Test
  void jedisAuthenticatesWithResp2AndResp3() {
    start();
    for (RedisProtocol protocol : List.of(RedisProtocol.RESP2, RedisProtocol.RESP3)) {
      DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password(PASSWORD).protocol(protocol)
          .timeoutMillis(10_000).build();
      try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), config)) {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(send(jedis, Cmd.PUT, "jedis-" + protocol, RECORD)).isEqualTo("OK");
        assertThat(jedis.get("jedis-" + protocol)).isEqualTo(RECORD);
      }
      DefaultJedisClientConfig wrong = DefaultJedisClientConfig.builder().user("default").password("wrong")
          .protocol(protocol).timeoutMillis(10_000).build();
      assertThatThrownBy(() -> {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), wrong)) {
          jedis.ping();
        }
      }).isInstanceOf(JedisAccessControlException.class).hasMessageContaining("WRONGPASS");
    }
  }

  @Test
  void helloAuthAuthenticatesAndSwitchesInOneStep() throws Exception {
    start();
    try (RawClient c = new RawClient(server.port())) {
      c.send("HELLO 3 AUTH default wrong\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Error("WRONGPASS invalid username-password pair or user is disabled."));
      c.send("*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$" + PASSWORD.length() + "\r\n"
          + PASSWORD + "\r\n");
      Resp hello = c.read();
      assertThat(hello).isInstanceOf(Resp.Map.class);
      assertThat(((Resp.Map) hello).get("proto")).isEqualTo(new Resp.Int(3));
      c.send("PING\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Simple("PONG"));
    }
  }

  @Test
  void redisCliWithPasswordUserAndAskpass() throws Exception {
    RedisCli.assumeInstalled();
    start();
    int port = server.port();
    assertThat(RedisCli.run(port, "PING")).isEqualTo("(error) NOAUTH Authentication required.");
    assertThat(RedisCli.run(port, "-a", PASSWORD, "--no-auth-warning", "PUT", "cli", RECORD)).isEqualTo("OK");
    assertThat(RedisCli.run(port, "-a", PASSWORD, "--no-auth-warning", "GET", "cli"))
        .isEqualTo("\"" + RECORD.replace("\"", "\\\"") + "\"");
    assertThat(RedisCli.run(port, "--user", "default", "--pass", PASSWORD, "--no-auth-warning", "-3", "PING"))
        .isEqualTo("PONG");
    assertThat(RedisCli.runWithInput(port, PASSWORD + "\n", "--askpass", "PING")).endsWith("PONG");
    assertThat(RedisCli.run(port, "-a", "wrong", "--no-auth-warning", "PING"))
        .contains("WRONGPASS invalid username-password pair or user is disabled.");
  }

  @Test
  void beforeAuthOnlySmallRequestsAreRead() throws Exception {
    start();
    try (RawClient c = new RawClient(server.port())) {
      c.send("*11\r\n");
      Resp reply = c.read();
      assertThat(reply).isInstanceOf(Resp.Error.class);
      assertThat(((Resp.Error) reply).text()).startsWith("ERR Protocol error").contains("10");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = new RawClient(server.port())) {
      c.send("*2\r\n$3\r\nGET\r\n$20000\r\n");
      Resp reply = c.read();
      assertThat(((Resp.Error) reply).text()).startsWith("ERR Protocol error").contains("16384");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = new RawClient(server.port())) {
      // once authenticated, the server's own limits apply again
      c.send("AUTH \"" + PASSWORD + "\"\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      String big = "x".repeat(20_000);
      c.send("*2\r\n$4\r\nECHO\r\n$20000\r\n" + big + "\r\n");
      assertThat(c.read()).isEqualTo(Resp.Bulk.of(big));
    }
  }

  @Test
  void wrongPasswordsAreAnsweredLaterWithoutStallingOthersAndLogged() throws Exception {
    // a long first delay, so the second attempt surely waits while the other client is served
    start(new Users(Secret.of("test", PASSWORD), null),
        new AuthThrottle.Policy(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofMinutes(5)));
    try (LogCapture log = new LogCapture(KvServer.class.getName());
        RawClient guesser = new RawClient(server.port());
        RawClient other = new RawClient(server.port(), java.net.InetAddress.getByName("127.0.0.2"))) {
      guesser.send("AUTH guess1\r\n");
      assertThat(guesser.read()).isEqualTo(new Resp.Error("WRONGPASS invalid username-password pair or user is disabled."));
      guesser.send("AUTH guess2\r\nPING\r\n");
      // the event loop is free: a client from another address authenticates and is served while guess2 waits
      other.send("AUTH \"" + PASSWORD + "\"\r\nPING\r\n");
      assertThat(other.read()).isEqualTo(Resp.OK);
      assertThat(other.read()).isEqualTo(new Resp.Simple("PONG"));
      assertThat(guesser.silentFor(1000)).as("guess2 not answered before its turn").isTrue();
      assertThat(log.messages()).anySatisfy(m -> assertThat(m)
          .contains("wrong password for user 'default' (1 failed authentications from 127.0.0.1 recently)"));
    }
    try (RawClient again = new RawClient(server.port())) {
      // a new connection from the same address does not start afresh
      again.send("AUTH " + PASSWORD.replace(" ", "") + "\r\n");
      assertThat(again.silentFor(1000)).isTrue();
    }
  }

  @Test
  void aWrongPasswordDelaysTheNextAttemptFromThatAddress() throws Exception {
    start(new Users(Secret.of("test", PASSWORD), null),
        new AuthThrottle.Policy(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMinutes(1)));
    try (RawClient c = new RawClient(server.port())) {
      // Timed from before the failure: the server's turn starts when it judged the wrong password,
      // a moment before its reply reaches this client.
      long started = System.nanoTime();
      c.send("AUTH wrong\r\n");
      assertThat(c.read()).isInstanceOf(Resp.Error.class);
      c.send("AUTH \"" + PASSWORD + "\"\r\nPING\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(System.nanoTime() - started).as("the turn after one failure").isGreaterThanOrEqualTo(300_000_000L);
      assertThat(c.read()).isEqualTo(new Resp.Simple("PONG"));
    }
  }

  @Test
  void theRequestLogNeverShowsAPassword() throws Exception {
    start();
    try (LogCapture requests = new LogCapture("kv.server.requests"); Jedis jedis = jedis(server)) {
      assertThat(send(jedis, Cmd.AUTH, PASSWORD)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.AUTH, "default", PASSWORD)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.HELLO, "2", "AUTH", "default", PASSWORD)).isNotNull();
      ServerFixture.await(Duration.ofSeconds(10), "request lines", () -> requests.messages().size() >= 3);
      assertThat(requests.messages()).allSatisfy(m -> assertThat(m).doesNotContain("s3cret"));
      assertThat(requests.messages()).anySatisfy(m -> assertThat(m).contains("AUTH default -> OK"));
    }
  }

  @Test
  void withoutAPasswordNothingIsAsked() {
    start(Users.OPEN, AuthThrottle.DEFAULT);
    try (Jedis jedis = jedis(server)) {
      assertThat(send(jedis, Cmd.PING)).isEqualTo("PONG");
      assertThat(error(jedis, Cmd.AUTH, "pw")).startsWith("ERR AUTH <password> called without any password configured");
      assertThat(send(jedis, Cmd.AUTH, "default", "anything")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.VPUT, "k", "1", RECORD)).isEqualTo(1L);
      assertThat(send(jedis, Cmd.CLIENT, "LIST").toString()).contains("user=default");
    }
  }

}
