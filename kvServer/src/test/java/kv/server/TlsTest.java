package kv.server;

import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import kv.security.Secret;
import kv.security.TlsFiles;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import kv.testkit.LogCapture;
import kv.testkit.TestCerts;

/**
 * TLS on kvServer's port with certificates openssl makes for the test: redis-cli --tls and Jedis
 * with SSL, with a password; a plain-text client refused cleanly; mutual TLS.
 */
class TlsTest {
  private static final String RECORD = "{ \"name\" : \"John\" }";
  @TempDir
  static Path certDir;
  private static TestCerts certs;
  private KvServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCerts.create(certDir);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private KvServer start(boolean mutual) {
    server = KvServer.start(ServerConfig.defaults().withSecurity(SecurityConfig.NONE
        .withUsers(new Users(Secret.of("t", "pw"), null))
        .withTls(new TlsFiles(certs.serverCert, certs.serverKey, mutual ? certs.ca : null))));
    return server;
  }

  private Jedis jedis(SSLContext context) {
    return new Jedis(new HostAndPort("127.0.0.1", server.port()), DefaultJedisClientConfig.builder().ssl(true)
        .sslSocketFactory(context.getSocketFactory()).password("pw").timeoutMillis(10_000).build());
  }

  @Test
  void redisCliAndJedisOverTls() throws Exception {
    start(false);
    try (Jedis jedis = jedis(certs.clientContext(false))) {
      assertThat(send(jedis, Cmd.PUT, "tls", RECORD)).isEqualTo("OK");
      assertThat(jedis.get("tls")).isEqualTo(RECORD);
    }
    RedisCli.assumeInstalled();
    String ca = certs.ca.toString();
    assertThat(RedisCli.run(server.port(), "--tls", "--cacert", ca, "-a", "pw", "--no-auth-warning", "PING"))
        .isEqualTo("PONG");
    assertThat(RedisCli.run(server.port(), "--tls", "--cacert", ca, "-a", "pw", "--no-auth-warning", "GET", "tls"))
        .isEqualTo("\"" + RECORD.replace("\"", "\\\"") + "\"");
  }

  @Test
  void aPlainTextClientOnTheTlsPortIsClosedAndLogged() throws Exception {
    start(false);
    try (LogCapture log = new LogCapture(KvServer.class.getName()); RawClient plain = new RawClient(server.port())) {
      plain.send("PING\r\n");
      assertThat(plain.closedByServer()).isTrue();
      ServerFixture.await(Duration.ofSeconds(10), "the refusal logged", () -> log.messages().stream()
          .anyMatch(m -> m.contains("not a TLS connection (plain text on a TLS port); closing the connection")));
    }
    try (Jedis jedis = jedis(certs.clientContext(false))) {
      assertThat(jedis.ping()).as("the server goes on").isEqualTo("PONG");
    }
  }

  @Test
  void mutualTlsRequiresAClientCertificateSignedByTheCa() throws Exception {
    start(true);
    try (Jedis jedis = jedis(certs.clientContext(true))) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
    assertThatThrownBy(() -> {
      try (Jedis jedis = jedis(certs.clientContext(false))) {
        jedis.ping();
      }
    }).isInstanceOf(JedisConnectionException.class);
    RedisCli.assumeInstalled();
    String ca = certs.ca.toString();
    assertThat(RedisCli.run(server.port(), "--tls", "--cacert", ca, "--cert", certs.clientCert.toString(),
        "--key", certs.clientKey.toString(), "-a", "pw", "--no-auth-warning", "PING")).isEqualTo("PONG");
    assertThat(RedisCli.run(server.port(), "--tls", "--cacert", ca, "-a", "pw", "--no-auth-warning", "PING"))
        .isNotEqualTo("PONG");
  }

  @Test
  void unusableKeyFilesStopTheStartWithTheFileNamed() throws Exception {
    Path notAKey = Files.writeString(certDir.resolve("not-a-key.pem"), "hello\n");
    assertThatThrownBy(() -> KvServer.start(ServerConfig.defaults().withSecurity(SecurityConfig.NONE
        .withTls(new TlsFiles(certs.serverCert, notAKey, null)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-key " + notAKey)
        .hasMessageContaining("expected: PEM files, the key unencrypted PKCS#8");
  }
}
