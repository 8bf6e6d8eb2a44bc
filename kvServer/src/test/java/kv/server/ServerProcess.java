package kv.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * A kvServer running as a child process ({@code java -cp <test classpath> kv.server.KvServerCommand})
 * in a given working directory, with its standard error in a file: what a user's shell runs,
 * so a test can SIGKILL it and start it again with the same command in the same place.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final Path stderr;
  final int port;

  private ServerProcess(Process process, Path stderr, int port) {
    this.process = process;
    this.stderr = stderr;
    this.port = port;
  }

  /** What a run that did not start printed and returned. */
  record Failed(int exitCode, String stdout, List<String> stderr) {}

  static ProcessBuilder builder(Path workDir, Path stderr, String... args) {
    return builder(List.of(), workDir, stderr, args);
  }

  static ProcessBuilder builder(List<String> jvmOptions, Path workDir, Path stderr, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        KvServerCommand.class.getName(), "-a", "127.0.0.1"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workDir.toFile()).redirectError(stderr.toFile());
  }

  /** Starts the server and waits for its "listening on" line (fails the test if it exits instead). */
  static ServerProcess start(Path workDir, String... args) throws IOException, InterruptedException {
    return start(List.of(), workDir, args);
  }

  /** As {@link #start(Path, String...)} with JVM options, e.g. {@code -Xmx128m}. */
  static ServerProcess start(List<String> jvmOptions, Path workDir, String... args)
      throws IOException, InterruptedException {
    return start(jvmOptions, java.util.Map.of(), workDir, args);
  }

  /** As {@link #start(Path, String...)} with JVM options and environment variables added. */
  static ServerProcess start(List<String> jvmOptions, java.util.Map<String, String> env, Path workDir, String... args)
      throws IOException, InterruptedException {
    Path stderr = Files.createTempFile(workDir.getParent(), "stderr", ".txt");
    ProcessBuilder builder = builder(jvmOptions, workDir, stderr, args);
    builder.environment().putAll(env);
    Process process = builder.start();
    String line = firstLine(process);
    Matcher m = line == null ? null : LISTENING.matcher(line);
    if (m == null || !m.matches()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("kvServer did not start: stdout " + line + ", stderr " + Files.readAllLines(stderr));
    }
    return new ServerProcess(process, stderr, Integer.parseInt(m.group(1)));
  }

  /** Runs a server that must fail to start; returns its exit code and output. */
  static Failed startFailing(Path workDir, String... args) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile(workDir.getParent(), "stderr", ".txt");
    Path stdout = Files.createTempFile(workDir.getParent(), "stdout", ".txt");
    Process process = builder(workDir, stderr, args).redirectOutput(stdout.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("kvServer did not exit (expected: it refuses to start); stdout: "
          + Files.readString(stdout) + ", stderr: " + Files.readAllLines(stderr));
    }
    return new Failed(process.exitValue(), Files.readString(stdout), Files.readAllLines(stderr));
  }

  private static String firstLine(Process process) throws InterruptedException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }, task -> {
      // a thread of its own: the common pool has one thread on two cores, and a reader blocked
      // elsewhere in the test JVM would make this wait look like a server that never started
      Thread t = new Thread(task, "server-first-line");
      t.setDaemon(true);
      t.start();
    });
    try {
      return line.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  Jedis client() {
    return new Jedis("127.0.0.1", port, 10_000);
  }

  /** What the server logged so far. */
  List<String> log() throws IOException {
    return Files.readAllLines(stderr);
  }

  /** SIGKILL: nothing runs after it (no shutdown hook, no flush, no close). */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("kvServer did not die of SIGKILL");
    }
  }

  /** SIGTERM and wait: a clean stop. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("kvServer did not stop on SIGTERM");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
