package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import kv.testkit.LogCapture;
import kv.testkit.TestCerts;
import kv.security.Secret;
import kv.security.TlsFiles;
import kv.security.Users;
import kv.server.KvServer;
import kv.server.SecurityConfig;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eventual broker over TLS to its servers ({@code --server-tls-ca}, {@code --server-tls-cert},
 * {@code --server-tls-key}), as a user runs it, against real kvServers that require a password and
 * a client certificate (mutual TLS): PUT and GET through both replicas; without the CA or without
 * the client certificate the servers stay DOWN with the TLS failure logged.
 */
class EventualServerTlsTest {
  private static final String CLUSTER = "cluster pass";
  @TempDir
  static Path dir;
  private static TestCerts certs;
  private static Path servers;
  private static Path admin;
  private static final List<KvServer> running = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    certs = TestCerts.create(Files.createDirectories(dir.resolve("certs")));
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      KvServer server = KvServer.start(ServerConfig.defaults().withSecurity(SecurityConfig.NONE
          .withUsers(new Users(Secret.of("t", "clients"), Secret.of("t", CLUSTER)))
          .withTls(new TlsFiles(certs.serverCert, certs.serverKey, certs.ca))));
      running.add(server);
      lines.append("127.0.0.1 ").append(server.port()).append('\n');
    }
    servers = Files.writeString(dir.resolve("servers.txt"), lines);
    admin = Files.writeString(dir.resolve("cluster.pw"), CLUSTER + "\n");
    Files.setPosixFilePermissions(admin, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterAll
  static void stop() {
    running.forEach(KvServer::close);
  }

  private static CapturedRun broker(String command, String... tls) {
    List<String> args = new ArrayList<>(List.of("-s", servers.toString(), "-k", "2", "--timeout", "1s",
        "--admin-password-file", admin.toString()));
    args.addAll(List.of(tls));
    args.addAll(List.of("-c", command));
    return CapturedRun.run(KvBrokerCommand.EVENTUAL, "", args.toArray(new String[0]));
  }

  @Test
  void withTheCaAndAClientCertificateTheBrokerWritesAndReadsOverTls() {
    String[] tls = {"--server-tls-ca", certs.ca.toString(), "--server-tls-cert", certs.clientCert.toString(),
        "--server-tls-key", certs.clientKey.toString()};
    CapturedRun put = broker("PUT person1 : { \"name\" : \"John\" }", tls);
    assertThat(put.err()).isEmpty();
    assertThat(put.out()).isEqualTo("OK\n");
    CapturedRun get = broker("GET person1", tls);
    assertThat(get.out()).contains("person1 : { \"name\" : \"John\" }");
    assertThat(get.code()).isZero();
  }

  @Test
  void withoutTheClientCertificateOrWithoutTlsTheServersStayDownAndTheLogSaysWhy() {
    try (LogCapture log = new LogCapture("kv.broker")) {
      CapturedRun noCert = broker("PUT k : { \"a\" : 1 }", "--server-tls-ca", certs.ca.toString());
      assertThat(noCert.code()).isEqualTo(1);
      assertThat(noCert.out()).contains("0 of 2 replicas acknowledged");
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("is DOWN").contains("TLS failed"));
    }
    CapturedRun plain = broker("PUT k : { \"a\" : 1 }");
    assertThat(plain.code()).isEqualTo(1);
    assertThat(plain.out()).contains("0 of 2 replicas acknowledged");
  }
}
