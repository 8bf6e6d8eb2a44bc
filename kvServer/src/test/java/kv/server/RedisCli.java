package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's redis-cli (.ci/run installs redis-tools); a test that needs it is skipped where it is missing. */
final class RedisCli {
  private RedisCli() {}

  static void assumeInstalled() {
    assumeThat(installed()).as("redis-cli installed").isTrue();
  }

  static boolean installed() {
    try {
      return new ProcessBuilder("redis-cli", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** redis-cli -p PORT ARGS with nothing on its standard input; its output (stdout and stderr) stripped. */
  static String run(int port, String... args) throws IOException, InterruptedException {
    return runWithInput(port, "", args);
  }

  /** As {@link #run} with {@code input} on standard input (e.g. the password for --askpass). */
  static String runWithInput(int port, String input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--no-raw", "-h", "127.0.0.1", "-p",
        Integer.toString(port)));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("redis-cli exits").isTrue();
    return out;
  }
}
