package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.e2e.Launchers.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's half of the security as a user runs it: bin/kvServer with both passwords,
 * bin/kvBroker with the same files, redis-cli on its RESP port (NOAUTH, -a), curl on its HTTP port
 * (401, Bearer), a wrong cluster password said on standard error, protected mode.
 */
class BrokerSecurityIT {
  private static final Pattern RESP = Pattern.compile("serving RESP on [^\\s]*:(\\d+)");
  private static final Pattern HTTP = Pattern.compile("serving HTTP on http://[^\\s]*:(\\d+)/");
  @TempDir Path dir;
  private final List<Server> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : processes) {
      s.close();
    }
  }

  private Path secret(String name, String text) throws Exception {
    Path file = Files.writeString(dir.resolve(name), text + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void redisCliAndCurlThroughABrokerThatAuthenticatesToItsServers() throws Exception {
    Path clients = secret("client.pw", "e2e clients pass");
    Path cluster = secret("cluster.pw", "e2e cluster pass");
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      servers.add(Launchers.startServer(dir, "--password-file", clients.toString(), "--admin-password-file",
          cluster.toString()));
    }
    processes.addAll(servers);
    Path serverFile = Launchers.serverFile(dir, servers);

    Process broker = Launchers.bin("kvBroker", "-s", serverFile.toString(), "-k", "2", "--port", "0", "--http", "0",
        "--password-file", clients.toString(), "--admin-password-file", cluster.toString())
        .directory(dir.toFile()).redirectErrorStream(true).start();
    processes.add(new Server(broker, 0));
    int[] ports = ports(broker);
    int resp = ports[0];
    int http = ports[1];

    assertThat(cli(resp, "PING")).isEqualTo("(error) NOAUTH Authentication required.");
    assertThat(cli(resp, "-a", "e2e clients pass", "--no-auth-warning", "PUT", "person1", "{ \"name\" : \"John\" }"))
        .isEqualTo("OK");
    assertThat(cli(resp, "-a", "e2e clients pass", "--no-auth-warning", "GET", "person1"))
        .isEqualTo("\"{ \\\"name\\\" : \\\"John\\\" }\"");
    assertThat(cli(resp, "-a", "wrong", "--no-auth-warning", "GET", "person1"))
        .contains("WRONGPASS invalid username-password pair or user is disabled.");

    String url = "http://127.0.0.1:" + http + "/keys/person1";
    Launchers.Result refused = Launchers.run(new ProcessBuilder("curl", "-s", "-i", url), "", Duration.ofSeconds(60));
    assertThat(refused.stdout()).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Bearer");
    Launchers.Result ok = Launchers.run(new ProcessBuilder("curl", "-s", "-f", "-H", "Authorization: Bearer e2e clients pass",
        url), "", Duration.ofSeconds(60));
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.stdout()).isEqualTo("{\"name\":\"John\"}");

    // the same cluster with a wrong cluster password: every server DOWN, and why, on standard error
    Launchers.Result wrong = Launchers.run(withEnv(Launchers.bin("kvBroker", "-s", serverFile.toString(), "-k", "2", "-c", "GET person1")
        .directory(dir.toFile()), "KV_ADMIN_PASSWORD", "not it"), "", Duration.ofSeconds(60));
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.stderr()).contains("is DOWN (authentication refused as user cluster: WRONGPASS");
    assertThat(wrong.stderr()).doesNotContain("not it");
  }

  @Test
  void protectedModeRefusesAnOpenPortOnTheNetwork() throws Exception {
    Server server = Launchers.startServer(dir);
    processes.add(server);
    Path serverFile = Launchers.serverFile(dir, List.of(server));
    Launchers.Result refused = Launchers.run(Launchers.bin("kvBroker", "-s", serverFile.toString(), "-k", "1",
        "--port", "0", "--bind", "0.0.0.0").directory(dir.toFile()), "", Duration.ofSeconds(60));
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr().lines().toList()).containsExactly("kvBroker: protected mode: refusing to listen on"
        + " 0.0.0.0 without a password, since anyone who can reach it could read and change every record (expected:"
        + " a password, --password-file FILE or the environment variable KV_PASSWORD, or a loopback address, --bind"
        + " 127.0.0.1 or --bind ::1)");
  }

  private static ProcessBuilder withEnv(ProcessBuilder pb, String name, String value) {
    pb.environment().put(name, value);
    return pb;
  }

  private static String cli(int port, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "--no-raw"));
    command.addAll(List.of(args));
    return Launchers.run(new ProcessBuilder(command).redirectErrorStream(true), "", Duration.ofSeconds(60))
        .stdout().strip();
  }

  /** The RESP and HTTP ports from the lines the broker prints. */
  private static int[] ports(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<int[]> found = CompletableFuture.supplyAsync(() -> {
      int[] ports = new int[2];
      StringBuilder seen = new StringBuilder();
      try {
        for (String line; (line = out.readLine()) != null; ) {
          seen.append(line).append('\n');
          Matcher r = RESP.matcher(line);
          Matcher h = HTTP.matcher(line);
          if (r.find()) {
            ports[0] = Integer.parseInt(r.group(1));
          } else if (h.find()) {
            ports[1] = Integer.parseInt(h.group(1));
          }
          if (ports[0] != 0 && ports[1] != 0) {
            Thread drain = new Thread(() -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe empty
                }
              } catch (java.io.IOException ignored) {
                // gone
              }
            });
            drain.setDaemon(true);
            drain.start();
            return ports;
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      throw new IllegalStateException("kvBroker exited before serving; it printed:\n" + seen);
    });
    return found.get(60, TimeUnit.SECONDS);
  }
}
