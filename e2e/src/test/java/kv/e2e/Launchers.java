package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts the programs as real processes through the launchers in bin/, as a user would. */
final class Launchers {
  static final Path ROOT = Path.of(System.getProperty("kv.root", "..")).toAbsolutePath().normalize();
  private static final Pattern LISTENING = Pattern.compile("listening on [^\\s]*:(\\d+)");
  private static final Pattern SERVING = Pattern.compile("serving RESP on [^\\s]*:(\\d+)");
  private static final Pattern SERVING_HTTP = Pattern.compile("serving HTTP on http://[^\\s]*:(\\d+)/");

  /** A new daemon thread per task: readers block, so the common pool (1 thread on 2 cores) won't do. */
  private static final Executor THREADS = task -> {
    Thread t = new Thread(task, "e2e-reader");
    t.setDaemon(true);
    t.start();
  };

  private Launchers() {}

  static ProcessBuilder bin(String program, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin").resolve(program).toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** A kvServer started with {@code -p 0}; its port is read from the line it prints. */
  record Server(Process process, int port) implements AutoCloseable {
    String address() {
      return "127.0.0.1:" + port;
    }

    /** SIGKILL (destroyForcibly is SIGKILL on Linux; the launcher execs java). */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("killed server exits").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        kill();
      }
    }
  }

  static Server startServer(Path workDir, String... extraArgs) throws IOException {
    return startServer(workDir, 0, extraArgs);
  }

  /** A kvServer on a given port (0: any), e.g. to restart it with the same command. */
  static Server startServer(Path workDir, int listenPort, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", String.valueOf(listenPort), "--quiet"));
    args.addAll(List.of(extraArgs));
    Process p = bin("kvServer", args.toArray(new String[0]))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .start();
    return new Server(p, awaitLine(p, LISTENING, "kvServer"));
  }

  /** The ports {@link #freePort} gave out in this JVM: never the same one twice. */
  private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A free port on 127.0.0.1 (bound to port 0 and released), for a server restarted on it; never
   * one this JVM was given before (the kernel may hand a released port out again at once, and a
   * test that asks for a RESP port and a Raft port must not get the same one twice).
   */
  static int freePort() throws IOException {
    while (true) {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        if (GIVEN.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }

  /** A kvBroker serving RESP ({@code --port 0}); its port is read from the line it prints. */
  static Server startRouter(Path workDir, Path serverFile, int k) throws IOException {
    return startRouter(workDir, serverFile, k, 0);
  }

  /** A kvBroker serving RESP on {@code port} (0: any), e.g. to restart it with the same command. */
  static Server startRouter(Path workDir, Path serverFile, int k, int port) throws IOException {
    return startBroker(workDir, "-s", serverFile.toString(), "-k", String.valueOf(k), "--port", String.valueOf(port));
  }

  /**
   * A kvBroker with these arguments, which must include {@code --port}; its port is read from the
   * line it prints, and what it prints goes on to {@code workDir/kvBroker-PORT.log} (a restart on
   * the same port to {@code kvBroker-PORT-2.log}, ...).
   */
  static Server startBroker(Path workDir, String... args) throws IOException {
    Path log = Files.createTempFile(workDir, "kvBroker-", ".log");
    Process p = bin("kvBroker", args)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    int port;
    try {
      port = awaitFileLine(p, log, SERVING, "kvBroker");
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    Path named = workDir.resolve("kvBroker-" + port + ".log");
    for (int n = 2; Files.exists(named); n++) {
      named = workDir.resolve("kvBroker-" + port + "-" + n + ".log");
    }
    Files.move(log, named);
    return new Server(p, port);
  }

  /* Polls a process's output file until a line matches; the port in the match's first group. */
  private static int awaitFileLine(Process p, Path file, Pattern pattern, String program) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      while (System.nanoTime() < deadline) {
        String text = Files.readString(file);
        Matcher m = pattern.matcher(text);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
        if (!p.isAlive()) {
          throw new IllegalStateException(program + " exited before listening; it printed:\n" + text);
        }
        Thread.sleep(50);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException(program + " did not start within 60 s");
  }

  /** A kvBroker serving HTTP ({@code --http 0}) and nothing else; its port is read from the line it prints. */
  static Server startHttpBroker(Path workDir, Path serverFile, int k) throws IOException {
    Process p = bin("kvBroker", "-s", serverFile.toString(), "-k", String.valueOf(k), "--http", "0")
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .start();
    return new Server(p, awaitLine(p, SERVING_HTTP, "kvBroker"));
  }

  /** Reads the process's output until {@code pattern} matches; returns its first group as the port. */
  private static int awaitLine(Process p, Pattern pattern, String program) {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            drain(out);
            return Integer.parseInt(m.group(1));
          }
          seen.append(line).append('\n');
        }
        throw new IllegalStateException(program + " exited before listening; it printed:\n" + seen);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, THREADS);
    try {
      return port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException(program + " did not start", e);
    }
  }

  /** Keeps reading so the child never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    THREADS.execute(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // the process went away
      }
    });
  }

  /** {@code n} kvServers on free ports ({@code -p 0}), in memory, working in {@code workDir}. */
  static List<Server> startServers(Path workDir, int n) throws IOException {
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      servers.add(startServer(workDir));
    }
    return servers;
  }

  static Path serverFile(Path dir, List<Server> servers) throws IOException {
    StringBuilder text = new StringBuilder("# written by the end-to-end test\n");
    for (Server s : servers) {
      text.append("127.0.0.1 ").append(s.port()).append('\n');
    }
    return Files.writeString(dir.resolve("serverFile.txt"), text);
  }

  /** The result of a finished process. */
  record Result(int exitCode, String stdout, String stderr) {
    List<String> lines() {
      return stdout.lines().toList();
    }
  }

  /** Runs a launcher to completion with {@code stdin} piped in; fails the test on timeout. */
  static Result run(ProcessBuilder pb, String stdin, Duration timeout) throws Exception {
    Process p = pb.start();
    CompletableFuture<String> out = readAll(p, true);
    CompletableFuture<String> err = readAll(p, false);
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the process may exit before reading all of its input; its output tells what happened
    }
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(pb.command() + " did not finish within " + timeout
          + "; stderr so far:\n" + err.getNow(""));
    }
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> readAll(Process p, boolean stdout) {
    return CompletableFuture.supplyAsync(() -> {
      try (var in = stdout ? p.getInputStream() : p.getErrorStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, THREADS);
  }
}
