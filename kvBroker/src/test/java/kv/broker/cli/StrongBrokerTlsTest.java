package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kv.broker.strong.StrongTestCluster;
import kv.broker.testing.FakeEngine;
import kv.testkit.TestCerts;
import kv.security.Secret;
import kv.security.TlsFiles;
import kv.security.Users;
import kv.server.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kvBroker --strong in front of three strong-mode kvServers (in this JVM) with passwords and
 * mutual TLS on their RESP and Raft ports: discovery logs in over TLS, requests go over mutual TLS.
 */
class StrongBrokerTlsTest {
  @TempDir static Path dir;
  private static StrongTestCluster cluster;
  private static TestCerts certs;
  private static Path clientPw;
  private static Path clusterPw;
  private static final FakeEngine unused = new FakeEngine();

  @BeforeAll
  static void start() throws Exception {
    certs = TestCerts.create(Files.createDirectories(dir.resolve("certs")));
    clientPw = Files.writeString(dir.resolve("client.pw"), "client-secret\n");
    clusterPw = Files.writeString(dir.resolve("cluster.pw"), "cluster-secret\n");
    for (Path p : List.of(clientPw, clusterPw)) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    SecurityConfig security = SecurityConfig.NONE
        .withUsers(new Users(Secret.of("t", "client-secret"), Secret.of("t", "cluster-secret")))
        .withTls(new TlsFiles(certs.serverCert, certs.serverKey, certs.ca));
    cluster = StrongTestCluster.start(dir, 3, 3, 1, security);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static CapturedRun run(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("-s", cluster.serverFile.toString(), "--strong"));
    all.addAll(List.of(args));
    return CapturedRun.run((config, io) -> unused, stdin, all.toArray(new String[0]));
  }

  private String[] clientCert() {
    return new String[] {"--server-tls-ca", certs.ca.toString(), "--server-tls-cert", certs.clientCert.toString(),
        "--server-tls-key", certs.clientKey.toString()};
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void withPasswordsAndClientCertificatesTheBrokerWritesAndReadsThroughTheGroups() {
    CapturedRun admin = run("PUT person1 : { \"name\" : \"John\" }\nGET person1\nstatus\n",
        concat(clientCert(), "--password-file", clientPw.toString(), "--admin-password-file", clusterPw.toString()));
    assertThat(admin.code()).as(admin.err()).isZero();
    assertThat(admin.out()).startsWith("OK\nperson1 : { \"name\" : \"John\" }\n")
        .contains("3 servers: 3 up, 0 down");
    // the clients' password alone is enough: the broker only reads INFO over RESP (user default)
    CapturedRun client = run("GET person1\nDELETE person1\nGET person1\n",
        concat(clientCert(), "--password-file", clientPw.toString()));
    assertThat(client.code()).as(client.err()).isZero();
    assertThat(client.out()).isEqualTo("person1 : { \"name\" : \"John\" }\nOK\nNOT FOUND\n");
  }

  @Test
  void aMissingOrWrongPasswordIsRefusedAtOnceWithTheServersReason() throws Exception {
    CapturedRun none = run("", concat(clientCert(), "-c", "GET a"));
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).startsWith("kvBroker: the servers refused the broker's password (" + cluster.address(0)
        + ": the server requires a password: NOAUTH");
    Path wrong = Files.writeString(dir.resolve("wrong.pw"), "nope\n");
    CapturedRun bad = run("", concat(clientCert(), "--password-file", wrong.toString(), "-c", "GET a"));
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("authentication refused as user default: WRONGPASS")
        .contains("(expected: the clients' password, --password-file or KV_PASSWORD to hold the servers' password)");
  }

  @Test
  void serverTlsFlagsAreCheckedAtStart() {
    CapturedRun noCert = run("", "--server-tls-ca", certs.ca.toString(), "--password-file", clientPw.toString(),
        "-c", "GET a");
    assertThat(noCert.code()).isEqualTo(2);
    assertThat(noCert.err()).isEqualTo("kvBroker: --server-tls-ca: no client certificate, which strong mode's Raft"
        + " ports require (expected: --server-tls-cert FILE and --server-tls-key FILE, or the broker's --tls-cert and"
        + " --tls-key)\n");
    CapturedRun certOnly = run("", "--server-tls-cert", certs.clientCert.toString(), "-c", "GET a");
    assertThat(certOnly.code()).isEqualTo(2);
    assertThat(certOnly.err()).startsWith("kvBroker: --server-tls-cert: without --server-tls-ca");
    CapturedRun noKey = run("", "--server-tls-ca", certs.ca.toString(), "--server-tls-cert",
        certs.clientCert.toString(), "-c", "GET a");
    assertThat(noKey.code()).isEqualTo(2);
    assertThat(noKey.err()).contains("one without the other");
    // Eventual mode takes --server-tls-ca without a client certificate (its servers may not ask for one).
    List<kv.broker.config.BrokerConfig> configs = new ArrayList<>();
    CapturedRun eventual = CapturedRun.run((config, io) -> {
      configs.add(config);
      return unused;
    }, "", "-s", cluster.serverFile.toString(), "-k", "1", "--server-tls-ca", certs.ca.toString(), "-c", "GET a");
    assertThat(eventual.code()).as(eventual.err()).isZero();
    assertThat(configs).singleElement().satisfies(c -> {
      assertThat(c.serverTls().ca()).isEqualTo(certs.ca);
      assertThat(c.serverTls().hasClientCertificate()).isFalse();
    });
  }

  @Test
  void aPlainBrokerInFrontOfTlsServersSaysWhy() {
    CapturedRun plain = run("", "--password-file", clientPw.toString(), "--timeout", "300ms", "-q", "-c", "GET a");
    assertThat(plain.code()).isEqualTo(1);
    assertThat(plain.err()).contains("no server of " + cluster.serverFile + " answered INFO")
        .contains("(a TLS port? give --server-tls-ca)");
  }
}
