package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kv.broker.command.CommandParser;
import kv.broker.http.HttpApi;
import kv.broker.http.HttpFrontEnd;
import kv.broker.testing.Await;
import kv.broker.testing.FakeEngine;
import kv.testkit.LogCapture;
import kv.broker.testing.RespTestClient;
import kv.testkit.TestCerts;
import kv.broker.transport.netty.IoThreads;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.TlsFiles;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * TLS on the broker's RESP and HTTP ports (--tls-cert, --tls-key): redis-cli --tls and Jedis with
 * the password, curl --cacert with and without the bearer password, a plain-text client refused
 * and logged while the port goes on.
 */
class BrokerTlsTest {
  private static final String PASSWORD = "tls pass";
  @TempDir Path dir;
  private final IoThreads io = IoThreads.start(2);
  private final FakeEngine engine = new FakeEngine();
  private RouterServer router;
  private HttpFrontEnd http;
  private TestCerts certs;

  private void start() throws Exception {
    certs = TestCerts.create(dir);
    TlsFiles tls = TlsFiles.of(certs.serverCert, certs.serverKey, null);
    Users users = new Users(Secret.of("test", PASSWORD), null);
    RouterCommands commands = new RouterCommands(engine, new CommandParser(new RecordParser()), Duration.ofSeconds(10),
        Map.of("kv_version", "test"), Clock.systemUTC(), users, AuthThrottle.DEFAULT);
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io, tls);
    HttpApi api = new HttpApi(engine, "eventual", Duration.ofSeconds(10), Clock.systemUTC(), 1 << 20, null,
        new kv.broker.http.BearerAuth(users, AuthThrottle.DEFAULT));
    http = HttpFrontEnd.start("127.0.0.1", 0, api, io, tls);
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (router != null) {
      router.close();
    }
    io.close();
  }

  @Test
  void jedisAndRedisCliOverTlsWithThePassword() throws Exception {
    start();
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().ssl(true)
        .sslSocketFactory(certs.clientContext(false).getSocketFactory()).password(PASSWORD).timeoutMillis(10_000).build();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", router.port()), config)) {
      assertThat(jedis.sendCommand(() -> "PUT".getBytes(StandardCharsets.US_ASCII), "tls", "{ \"a\" : 1 }"))
          .isEqualTo("OK".getBytes(StandardCharsets.US_ASCII));
    }
    assumeThat(run("redis-cli", "--version")).startsWith("redis-cli");
    String ca = certs.ca.toString();
    String port = Integer.toString(router.port());
    assertThat(run("redis-cli", "-p", port, "--tls", "--cacert", ca, "--no-raw", "PING"))
        .isEqualTo("(error) NOAUTH Authentication required.");
    assertThat(run("redis-cli", "-p", port, "--tls", "--cacert", ca, "-a", PASSWORD, "--no-auth-warning", "--no-raw",
        "GET", "tls")).isEqualTo("\"{ \\\"a\\\" : 1 }\"");
  }

  @Test
  void curlOverHttpsWithAndWithoutTheBearerPassword() throws Exception {
    start();
    engine.records.put("k", new kv.record.Record("k", new RecordParser().parseSet("{ \"b\" : 2 }")));
    assumeThat(run("curl", "--version")).startsWith("curl");
    String url = "https://127.0.0.1:" + http.port() + "/keys/k";
    String ca = certs.ca.toString();
    assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, url)).isEqualTo("401");
    assertThat(run("curl", "-s", "--cacert", ca, "-H", "Authorization: Bearer " + PASSWORD, url))
        .isEqualTo("{\"b\":2}");
    assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + http.port() + "/keys/k"))
        .as("plain HTTP on the HTTPS port gets no answer").isEqualTo("000");
  }

  @Test
  void aPlainTextClientOnTheTlsPortIsClosedAndLogged() throws Exception {
    start();
    try (LogCapture log = new LogCapture("kv.broker.transport"); RespTestClient plain = new RespTestClient(router.port())) {
      plain.send("PING");
      assertThat(plain.read()).as("closed without an answer").isNull();
      Await.until("the refusal logged", () -> log.messages().stream().anyMatch(m -> m.startsWith("RESP client ")
          && m.endsWith(": not a TLS connection (plain text on a TLS port); closing the connection")));
    }
  }

  private static String run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      return "not installed: " + e.getMessage();
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
