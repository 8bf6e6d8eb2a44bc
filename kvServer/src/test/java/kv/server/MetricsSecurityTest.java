package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.TlsFiles;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import kv.testkit.TestCerts;

/**
 * The metrics port's password and TLS, through curl (as Prometheus with {@code authorization} and
 * {@code tls_config} would scrape): 401 without the bearer or with a wrong one, 200 with either
 * password, 429 for an address in its throttle wait, HTTPS with mutual TLS, protected mode.
 */
class MetricsSecurityTest {
  private static final String CLIENTS = "client-pw-1";
  private static final String CLUSTER = "cluster-pw-2";
  private static final AuthThrottle.Policy NO_DELAY =
      new AuthThrottle.Policy(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(1));
  private KvServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int serve(SecurityConfig security) {
    server = KvServer.start(ServerConfig.defaults().withSecurity(security));
    return server.serveMetrics("127.0.0.1", 0);
  }

  private static Users users() {
    return new Users(Secret.of("test", CLIENTS), Secret.of("test", CLUSTER));
  }

  @Test
  void aPasswordedServerAsksForTheBearerAndTakesEitherPassword() throws Exception {
    int port = serve(SecurityConfig.NONE.withUsers(users()).withThrottle(NO_DELAY));
    String url = "http://127.0.0.1:" + port + "/metrics";

    Curl none = Curl.run("-D", "-", url);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.out()).containsIgnoringCase("WWW-Authenticate: Bearer");
    assertThat(Curl.run("-H", "Authorization: Bearer wrong", url).status()).isEqualTo(401);
    Curl client = Curl.run("-H", "Authorization: Bearer " + CLIENTS, url);
    assertThat(client.status()).isEqualTo(200);
    assertThat(client.out()).contains("kv_requests_total");
    assertThat(Curl.run("-H", "Authorization: bearer " + CLUSTER, url).status()).isEqualTo(200);
  }

  @Test
  void anAddressThatJustSentAWrongPasswordGetsNoVerdictBeforeItsTurn() throws Exception {
    int port = serve(SecurityConfig.NONE.withUsers(users()).withThrottle(
        new AuthThrottle.Policy(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5))));
    String url = "http://127.0.0.1:" + port + "/metrics";
    assertThat(Curl.run("-H", "Authorization: Bearer guess1", url).status()).isEqualTo(401);
    Curl right = Curl.run("-D", "-", "-H", "Authorization: Bearer " + CLIENTS, url);
    assertThat(right.status()).as("even the right password waits for the turn").isEqualTo(429);
    assertThat(right.out()).containsIgnoringCase("Retry-After: ");
  }

  @Test
  void withTlsFilesTheMetricsPortIsHttpsAndAsksForTheClientCertificate(@TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    int port = serve(SecurityConfig.NONE.withUsers(users()).withThrottle(NO_DELAY)
        .withTls(new TlsFiles(certs.serverCert, certs.serverKey, certs.ca)));
    assertThat(server.metricsUrl("127.0.0.1", port)).startsWith("https://");
    String url = "https://127.0.0.1:" + port + "/metrics";
    String bearer = "Authorization: Bearer " + CLIENTS;

    Curl withCert = Curl.run("--cacert", certs.ca.toString(), "--cert", certs.clientCert.toString(),
        "--key", certs.clientKey.toString(), "-H", bearer, url);
    assertThat(withCert.status()).isEqualTo(200);
    assertThat(withCert.out()).contains("kv_requests_total");
    assertThat(Curl.run("--cacert", certs.ca.toString(), "-H", bearer, url).status())
        .as("no client certificate: the handshake fails").isZero();
    assertThat(Curl.run("-H", bearer, "http://127.0.0.1:" + port + "/metrics").status())
        .as("plain HTTP on the HTTPS port").isNotEqualTo(200);
  }

  @Test
  void withoutAPasswordTheMetricsPortBindsOnlyLoopback() {
    server = KvServer.start(ServerConfig.defaults());
    assertThatThrownBy(() -> server.serveMetrics("0.0.0.0", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protected mode").hasMessageContaining("--metrics-bind 127.0.0.1");
  }

  /** One curl run: its status code (0 when no HTTP answer came) and its output. */
  record Curl(int status, String out) {
    static Curl run(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "30", "-w", "\n%{http_code}"));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String code = out.substring(out.lastIndexOf('\n') + 1).trim();
      return new Curl(code.matches("\\d+") ? Integer.parseInt(code) : -1, out);
    }
  }
}
