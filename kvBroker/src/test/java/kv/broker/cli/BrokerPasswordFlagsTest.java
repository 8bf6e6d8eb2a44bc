package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.testkit.LogCapture;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.Users;
import kv.server.KvServer;
import kv.server.SecurityConfig;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kvBroker's password flags as a user runs them, against real kvServers (in-process, port 0) with
 * the clients' and the cluster's passwords: from a file or the environment, never a flag's value;
 * a wrong one is said on standard error; protected mode for the broker's ports.
 */
class BrokerPasswordFlagsTest {
  private static final String CLIENTS = "clients' pass";
  private static final String CLUSTER = "cluster pass";

  @TempDir
  Path dir;

  private final List<KvServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(KvServer::close);
  }

  private Path serverFile(int n) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < n; i++) {
      KvServer server = KvServer.start(ServerConfig.defaults().withSecurity(SecurityConfig.NONE
          .withUsers(new Users(Secret.of("t", CLIENTS), Secret.of("t", CLUSTER))).withThrottle(AuthThrottle.DEFAULT)));
      servers.add(server);
      lines.append("127.0.0.1 ").append(server.port()).append('\n');
    }
    return Files.writeString(dir.resolve("servers.txt"), lines);
  }

  private Path secretFile(String name, String password) throws Exception {
    Path file = Files.writeString(dir.resolve(name), password + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void theClustersPasswordFromAFileOrTheEnvironmentLetsTheBrokerWriteAndRead() throws Exception {
    Path servers = serverFile(2);
    Path admin = secretFile("cluster.pw", CLUSTER);
    CapturedRun put = CapturedRun.run(KvBrokerCommand.EVENTUAL, "", "-s", servers.toString(), "-k", "2",
        "--admin-password-file", admin.toString(), "-c", "PUT person1 : { \"name\" : \"John\" }");
    assertThat(put.err()).isEmpty();
    assertThat(put.code()).isZero();
    CapturedRun get = CapturedRun.run(Map.of("KV_ADMIN_PASSWORD", CLUSTER), KvBrokerCommand.EVENTUAL, "",
        "-s", servers.toString(), "-k", "2", "-c", "GET person1");
    assertThat(get.err()).isEmpty();
    assertThat(get.out()).contains("person1 : { \"name\" : \"John\" }");
    assertThat(get.code()).isZero();
  }

  @Test
  void aWrongPasswordIsLoggedAndTheCommandFails() throws Exception {
    Path servers = serverFile(1);
    try (LogCapture log = new LogCapture("kv.broker")) {
      CapturedRun run = CapturedRun.run(Map.of("KV_ADMIN_PASSWORD", "wrong"), KvBrokerCommand.EVENTUAL, "",
          "-s", servers.toString(), "-k", "1", "-c", "PUT k : { \"a\" : 1 }");
      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out()).isEqualTo("ERROR: cannot write 'k': 0 of 1 replicas acknowledged (all down or not answering)\n");
      // the log goes to standard error in a real run (logback's console there, the test's here)
      assertThat(log.warnings()).containsExactly("server 127.0.0.1:" + this.servers.get(0).port() + " is DOWN"
          + " (authentication refused as user cluster: WRONGPASS invalid username-password pair or user is disabled."
          + " (expected: the cluster's password, --admin-password-file or KV_ADMIN_PASSWORD to hold the servers'"
          + " password))");
    }
  }

  @Test
  void aPasswordOnTheCommandLineIsRefused() throws Exception {
    CapturedRun run = CapturedRun.run(KvBrokerCommand.EVENTUAL, "", "-s", serverFile(1).toString(), "-k", "1",
        "--password", "secret", "-c", "GET k");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("kvBroker: --password: refused: a password on the command line is visible to"
        + " every user of this machine");
  }

  @Test
  void aPasswordFromBothAFileAndTheEnvironmentIsAUsageError() throws Exception {
    CapturedRun run = CapturedRun.run(Map.of("KV_PASSWORD", CLIENTS), KvBrokerCommand.EVENTUAL, "",
        "-s", serverFile(1).toString(), "-k", "1", "--password-file", secretFile("c.pw", CLIENTS).toString(),
        "-c", "GET k");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--password-file").contains("and the environment variable KV_PASSWORD: both given");
  }

  @Test
  void protectedModeRefusesANonLoopbackPortWithoutThePassword() throws Exception {
    Path servers = serverFile(1);
    CapturedRun resp = CapturedRun.run(KvBrokerCommand.EVENTUAL, "", "-s", servers.toString(), "-k", "1",
        "--port", "0", "--bind", "0.0.0.0");
    assertThat(resp.code()).isEqualTo(2);
    assertThat(resp.err()).isEqualTo("kvBroker: protected mode: refusing to listen on 0.0.0.0 without a password,"
        + " since anyone who can reach it could read and change every record (expected: a password, --password-file"
        + " FILE or the environment variable KV_PASSWORD, or a loopback address, --bind 127.0.0.1 or --bind ::1)\n");
    // the cluster's password alone does not protect the clients' port
    CapturedRun http = CapturedRun.run(Map.of("KV_ADMIN_PASSWORD", CLUSTER), KvBrokerCommand.EVENTUAL, "",
        "-s", servers.toString(), "-k", "1", "--http", "0", "--http-bind", "0.0.0.0");
    assertThat(http.code()).isEqualTo(2);
    assertThat(http.err()).contains("refusing to listen on 0.0.0.0").contains("--http-bind 127.0.0.1");
  }

  @Test
  void tlsFlagsAreCheckedBeforeAnythingStarts() throws Exception {
    Path servers = serverFile(1);
    CapturedRun missing = CapturedRun.run(Map.of("KV_PASSWORD", CLIENTS), KvBrokerCommand.EVENTUAL, "",
        "-s", servers.toString(), "-k", "1", "--port", "0", "--tls-cert", dir.resolve("none.crt").toString(),
        "--tls-key", dir.resolve("none.key").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("kvBroker: --tls-cert " + dir.resolve("none.crt") + ": no such file");
    Path notPem = Files.writeString(dir.resolve("bad.crt"), "not a certificate\n");
    CapturedRun bad = CapturedRun.run(Map.of("KV_PASSWORD", CLIENTS), KvBrokerCommand.EVENTUAL, "",
        "-s", servers.toString(), "-k", "1", "--http", "0", "--tls-cert", notPem.toString(), "--tls-key",
        notPem.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("cannot read the certificate or its key");
    CapturedRun noPort = CapturedRun.run(KvBrokerCommand.EVENTUAL, "", "-s", servers.toString(), "-k", "1",
        "--tls-cert", notPem.toString(), "--tls-key", notPem.toString(), "-c", "GET k");
    assertThat(noPort.code()).isEqualTo(2);
    assertThat(noPort.err()).isEqualTo("kvBroker: --tls-cert: no port to serve it on (expected: --port or --http as"
        + " well)\n");
  }
}
