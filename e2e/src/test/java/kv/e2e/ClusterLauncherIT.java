package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.e2e.Launchers.Result;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * bin/quickstart and bin/cluster together, as the README tells a user to try failures: a server of
 * a running quickstart killed with SIGKILL comes back with its own data through {@code bin/cluster
 * start}, and leaving the quickstart stops it too, without shell noise. Uses serverFile.txt's ports.
 */
class ClusterLauncherIT {

  @Test
  void aKilledServerOfTheQuickstartComesBackWithItsDataAndStopsWithIt() throws Exception {
    Process quickstart = Launchers.bin("quickstart", "--fresh", "-i", "data/sample.txt", "-q")
        .directory(Launchers.ROOT.toFile())
        .start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(quickstart));
    try (OutputStream in = quickstart.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(quickstart.getInputStream(), StandardCharsets.UTF_8))) {
      in.write("GET person2\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(out.readLine()).as("the quickstart answers").startsWith("person2 : {");

      long records;
      try (Jedis jedis = new Jedis("127.0.0.1", 9002)) {
        records = jedis.dbSize();
      }
      assertThat(records).as("records on 127.0.0.1:9002 after indexing").isPositive();
      Path pidFile = Launchers.ROOT.resolve("run/cluster/kvServer-127.0.0.1-9002.pid");
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
      server.destroyForcibly();
      server.onExit().get(10, TimeUnit.SECONDS);

      // At once, while the killed process may still be a zombie: it must not count as running.
      Result start = Launchers.run(Launchers.bin("cluster", "start"), "", Duration.ofMinutes(2));
      assertThat(start.exitCode()).as("stderr:%n%s", start.stderr()).isZero();
      assertThat(start.stdout()).contains("127.0.0.1:9002 started").contains("127.0.0.1:9001 already running");
      try (Jedis jedis = new Jedis("127.0.0.1", 9002)) {
        assertThat(jedis.dbSize()).as("the restarted server has its own data").isEqualTo(records);
      }
    }
    assertThat(quickstart.waitFor(2, TimeUnit.MINUTES)).as("quickstart ends with its input").isTrue();
    assertThat(quickstart.exitValue()).isZero();
    assertThat(err.get(10, TimeUnit.SECONDS)).doesNotContain("Killed");

    Result status = Launchers.run(Launchers.bin("cluster", "status"), "", Duration.ofMinutes(1));
    assertThat(status.lines()).as("every server stopped, the restarted one too")
        .filteredOn(line -> line.startsWith("127.0.0.1:")).allMatch(line -> line.contains(" down "));
    String serverJar = Launchers.ROOT.resolve("kvServer/target/kvServer.jar").toString();
    List<String> left = ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains(serverJar))
        .toList();
    assertThat(left).as("servers left running").isEmpty();
  }

  private static String readAll(Process p) {
    try {
      return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
