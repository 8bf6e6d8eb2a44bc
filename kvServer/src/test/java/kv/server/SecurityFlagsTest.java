package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kv.security.Secret;
import kv.security.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import kv.testkit.TestCerts;

/** kvServer's security flags: passwords from files and the environment only, protected mode, TLS files. */
class SecurityFlagsTest {
  @TempDir
  Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return KvServerCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
  }

  @Test
  void aPasswordOnTheCommandLineIsRefusedWithTheReason() {
    assertThat(run(Map.of(), "-p", "0", "--password", "hunter2")).isEqualTo(2);
    assertThat(err.toString()).contains("kvServer: --password: refused: a password on the command line is visible"
        + " to every user of this machine (ps, /proc/PID/cmdline)", "--password-file FILE", "KV_PASSWORD");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(), "-p", "0", "--admin-password", "hunter2")).isEqualTo(2);
    assertThat(err.toString()).contains("kvServer: --admin-password: refused:");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void badPasswordSourcesAreUsageErrors() throws Exception {
    assertThat(run(Map.of(), "-p", "0", "--password-file", tmp.resolve("missing").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--password-file " + tmp.resolve("missing") + ": cannot read it");
    err.getBuffer().setLength(0);
    Path empty = Files.writeString(tmp.resolve("empty"), "\n");
    assertThat(run(Map.of(), "-p", "0", "--password-file", empty.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--password-file " + empty + ": empty (expected: a password of 1 to 4096 bytes)");
    err.getBuffer().setLength(0);
    Path file = Files.writeString(tmp.resolve("pw"), "secret\n");
    assertThat(run(Map.of("KV_PASSWORD", "other"), "-p", "0", "--password-file", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--password-file " + file + " and the environment variable KV_PASSWORD: both"
        + " given (expected: one of them)");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(), "-p", "0", "--tls-cert", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--tls-cert " + file + " --tls-key null: one without the other");
  }

  @Test
  void protectedModeRefusesToListenBeyondLoopbackWithoutAPassword() {
    assertThat(run(Map.of(), "-p", "0", "-a", "0.0.0.0")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("kvServer: protected mode: refusing to listen on 0.0.0.0"
        + " without a password, since anyone who can reach it could read and change every record (expected: a"
        + " password, --password-file FILE or the environment variable KV_PASSWORD, or a loopback address,"
        + " -a 127.0.0.1 or -a ::1)");
    assertThat(out.toString()).isEmpty();
    // a cluster password alone leaves the clients' commands open: still refused
    assertThatThrownBy(() -> KvServer.start(ServerConfig.defaults().withAddress("0.0.0.0")
        .withSecurity(SecurityConfig.NONE.withUsers(new Users(null, Secret.of("t", "admin"))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("protected mode:");
    // loopback by name or number is fine without a password, and anything is with one
    for (String address : List.of("localhost", "127.0.0.1")) {
      KvServer.start(ServerConfig.defaults().withAddress(address)).close();
    }
    try (KvServer server = KvServer.start(ServerConfig.defaults().withAddress("0.0.0.0")
        .withSecurity(SecurityConfig.NONE.withUsers(new Users(Secret.of("t", "pw"), null))));
        Jedis jedis = new Jedis("127.0.0.1", server.port(), 10_000)) {
      assertThat(error(jedis, Cmd.PING)).isEqualTo("NOAUTH Authentication required.");
    }
  }

  @Test
  void protectedModeRefusesARaftPortBeyondLoopbackWithoutMutualTls() throws Exception {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the refusal comes before any bind
    Path file = Files.writeString(tmp.resolve("servers.txt"), "192.0.2.1 7001 raft=17001\n192.0.2.2 7001\n");
    Path password = Files.writeString(tmp.resolve("pw"), "client-secret\n");
    String[] strong = {"--strong", file.toString(), "-a", "192.0.2.1", "-p", "7001", "--password-file",
        password.toString(), "--data-dir", tmp.resolve("data").toString()};
    String refusal = "kvServer: protected mode: refusing to listen for Raft on 192.0.2.1:17001 without mutual TLS,"
        + " since anyone who can reach the Raft port could change every record (expected: --tls-cert FILE --tls-key"
        + " FILE --tls-ca FILE, a certificate signed by the cluster's CA being the Raft port's credential, or a"
        + " loopback address, -a 127.0.0.1 or -a ::1)";
    assertThat(run(Map.of(), strong)).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(refusal);
    assertThat(tmp.resolve("data")).doesNotExist();

    // TLS without a CA protects the RESP port's traffic but proves nothing about who connects to Raft
    TestCerts certs = TestCerts.create(Files.createDirectories(tmp.resolve("certs")));
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(), concat(strong, "--tls-cert", certs.serverCert.toString(), "--tls-key",
        certs.serverKey.toString()))).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(refusal);
    // (with all three the start goes on to bind, and Ratis exits the JVM when that fails: ProtectedModeTest
    // shows mutual TLS satisfies the check, StrongTlsTest runs such a cluster)
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void aServerProcessTakesItsPasswordsFromTheEnvironmentAndAFile() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path admin = Files.writeString(tmp.resolve("admin"), "cluster-secret\n");
    try (ServerProcess server = ServerProcess.start(List.of(), Map.of("KV_PASSWORD", "client-secret"), work,
        "-p", "0", "--in-memory", "--admin-password-file", admin.toString());
        Jedis jedis = server.client()) {
      assertThat(error(jedis, Cmd.PING)).isEqualTo("NOAUTH Authentication required.");
      assertThat(send(jedis, Cmd.AUTH, "client-secret")).isEqualTo("OK");
      assertThat(error(jedis, Cmd.VGET, "k")).startsWith("NOPERM");
      assertThat(send(jedis, Cmd.AUTH, "cluster", "cluster-secret")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.VGET, "k")).isNull();
      assertThat(String.join("\n", server.log())).contains("passwords for clients and the cluster")
          .doesNotContain("client-secret", "cluster-secret");
    }
  }
}
