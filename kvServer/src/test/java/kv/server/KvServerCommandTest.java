package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The kvServer program: flags, exit codes, the startup line and a clean stop on SIGTERM. */
class KvServerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return KvServerCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpListsTheFlags() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--address", "--port", "--quiet", "--max-request-bytes",
        "--max-clients", "--max-depth", "--in-memory", "--data-dir", "--fsync", "--compact-min-bytes",
        "--max-clock-skew-ms", "--max-pending-request-bytes", "--max-reply-bytes", "--idle-timeout", "--request-timeout");
    // picocli may wrap a line inside the address (after "127.")
    assertThat(out.toString().replaceAll("\\s+", "")).contains("./127.0.0.1-9000");
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("With port 0 and no --data-dir");
  }

  @Test
  void badPersistenceFlagsAreUsageErrors() {
    assertThat(run("-p", "0", "--fsync", "sometimes")).isEqualTo(2);
    assertThat(err.toString()).contains("kvServer: fsync: 'sometimes' (expected: always or everysec)");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "0", "--in-memory", "--data-dir", "d")).isEqualTo(2);
    assertThat(err.toString()).contains("--in-memory and --data-dir d: both given (expected: one of them)");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "0", "--data-dir", "d", "--compact-min-bytes", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("kvServer: compact-min-bytes: 0 (expected: >= 1)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void badFlagsAreUsageErrors() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--port=PORT'");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "abc")).isEqualTo(2);
    assertThat(err.toString()).contains("'abc'");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "70000")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("kvServer: port: 70000 (expected: 0..65535)",
        "Try 'kvServer --help' for the flags.");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "0", "--max-clients", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("max-clients: 0 (expected: 1..");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "0", "--max-depth", "1001")).isEqualTo(2);
    assertThat(err.toString()).contains("kvServer: max-depth: 1001 (expected: 1..1000)");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "0", "--max-clock-skew-ms", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("kvServer: max-clock-skew-ms: 0 (expected: 1..86400000)");
    err.getBuffer().setLength(0);
    assertThat(run("-p", "0", "--bogus")).isEqualTo(2);
    assertThat(err.toString()).contains("--bogus");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void portInUseIsOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThat(run("-a", "127.0.0.1", "-p", Integer.toString(port), "--quiet", "--data-dir",
          dir.resolve("data").toString())).isEqualTo(1);
      assertThat(err.toString()).isEqualTo(
          "kvServer: cannot listen on 127.0.0.1:" + port + ": address already in use" + System.lineSeparator());
      assertThat(out.toString()).isEmpty();
      assertThat(dir.resolve("data")).doesNotExist();
    }
  }

  @Test
  void embeddedStartOnATakenPortThrowsWithTheSameMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ServerConfig config = ServerConfig.defaults().withPort(taken.getLocalPort());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> KvServer.start(config))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
    }
  }

  @Test
  void runsAsAProcessLogsRequestsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    File stderr = dir.resolve("stderr.txt").toFile();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KvServerCommand.class.getName(), "-a", "127.0.0.1", "-p", "0")
        .redirectError(stderr)
        .start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = stdout.readLine();
      assertThat(line).matches("listening on 127\\.0\\.0\\.1:\\d+");
      Matcher m = Pattern.compile(":(\\d+)$").matcher(line);
      assertThat(m.find()).isTrue();
      int port = Integer.parseInt(m.group(1));
      try (Jedis jedis = new Jedis("127.0.0.1", port, 10_000)) {
        assertThat(ServerFixture.send(jedis, Cmd.PUT, "\"person1\" : { \"name\" : \"John\" }")).isEqualTo("OK");
        assertThat(ServerFixture.send(jedis, Cmd.GET, "person1")).isEqualTo("{ \"name\" : \"John\" }");
        assertThat(ServerFixture.send(jedis, Cmd.GET, "person2")).isNull();
      }
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      List<String> log = Files.readAllLines(stderr.toPath());
      assertThat(log).anyMatch(l -> l.contains("started on 127.0.0.1:" + port));
      assertThat(log).anyMatch(l -> l.matches(".* 127\\.0\\.0\\.1:\\d+ GET person1 -> found$"));
      assertThat(log).anyMatch(l -> l.matches(".* 127\\.0\\.0\\.1:\\d+ GET person2 -> not found$"));
      assertThat(log).anyMatch(l -> l.matches(".* 127\\.0\\.0\\.1:\\d+ PUT person1 -> OK$"));
      assertThat(log).anyMatch(l -> l.contains("connected"));
      assertThat(log).anyMatch(l -> l.contains("stopped"));
      assertThat(log).noneMatch(l -> l.contains("Exception"));
    } finally {
      process.destroyForcibly();
    }
  }
}
