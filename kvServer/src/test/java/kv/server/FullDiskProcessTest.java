package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A full disk for real (issue 12 scenario 11, issue 17): a kvServer process whose data directory
 * is on a 4 MiB tmpfs that the test fills up. Writes are refused without being applied, reads go
 * on, INFO says why, and writes are accepted again once space returns; nothing acknowledged is
 * lost across a SIGKILL. Mounting needs root; elsewhere the test is skipped, saying why.
 */
class FullDiskProcessTest {
  @TempDir
  Path tmp;
  private Path disk;
  private boolean mounted;

  @BeforeEach
  void mountASmallTmpfs() throws Exception {
    disk = Files.createDirectory(tmp.resolve("disk"));
    String out = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString());
    mounted = out == null;
    assumeTrue(mounted, "cannot mount a tmpfs at " + disk + " (needs root or CAP_SYS_ADMIN): " + out);
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted && run("umount", disk.toString()) != null) {
      run("umount", "-l", disk.toString());
    }
  }

  /** Runs a command; null when it exits 0, else what it printed. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }

  /** Fills the tmpfs with one file until the file system refuses more. */
  private Path fill() throws IOException {
    Path ballast = disk.resolve("ballast");
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(ballast)) {
      for (int i = 0; i < 1000; i++) {
        out.write(chunk);
      }
      throw new AssertionError("a 4 MiB tmpfs took 64 MiB");
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
    return ballast;
  }

  private static String info(Jedis jedis) {
    return (String) send(jedis, Cmd.INFO);
  }

  @Test
  void aFullDiskRefusesWritesWithoutApplyingThemServesReadsAndRecoversWhenSpaceReturns() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("work"));
    Path data = disk.resolve("data");
    String[] args = {"-p", "0", "--data-dir", data.toString(), "--quiet"};
    String big = "{ \"blob\" : \"" + "x".repeat(64 * 1024) + "\" }";
    try (ServerProcess server = ServerProcess.start(work, args); Jedis jedis = server.client()) {
      for (int i = 1; i <= 5; i++) {
        assertThat(send(jedis, Cmd.PUT, "person" + i, "{ \"n\" : " + i + " }")).isEqualTo("OK");
      }
      Path ballast = fill();

      assertThat(error(jedis, Cmd.PUT, "refused", big)).isEqualTo("ERR write refused: the log cannot be written"
          + " (No space left on device in " + data + "); nothing was applied");
      assertThat(error(jedis, Cmd.VPUT, "refused", "1", big)).startsWith("ERR write refused: ");
      assertThat(send(jedis, Cmd.GET, "refused")).as("refused, so never applied").isNull();
      assertThat(send(jedis, Cmd.GET, "person3")).as("reads go on").isEqualTo("{ \"n\" : 3 }");
      assertThat(info(jedis)).contains("log_writable:0\r\n", "log_error:No space left on device in " + data);

      Files.delete(ballast);
      ServerFixture.await(Duration.ofSeconds(30), "the log writable again without a write",
          () -> info(jedis).contains("log_writable:1\r\n"));
      assertThat(info(jedis)).doesNotContain("log_error:No space");
      assertThat(send(jedis, Cmd.PUT, "after", big)).isEqualTo("OK");
      server.kill();
    }
    try (ServerProcess again = ServerProcess.start(work, args); Jedis jedis = again.client()) {
      for (int i = 1; i <= 5; i++) {
        assertThat(send(jedis, Cmd.GET, "person" + i)).isEqualTo("{ \"n\" : " + i + " }");
      }
      assertThat(send(jedis, Cmd.GET, "after")).isEqualTo(big);
      assertThat(send(jedis, Cmd.GET, "refused")).isNull();
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(6L);
      List<String> log = again.log();
      assertThat(log).noneMatch(l -> l.contains("ERROR"));
    }
  }
}
