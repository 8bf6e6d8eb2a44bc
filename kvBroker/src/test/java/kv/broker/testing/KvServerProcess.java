package kv.broker.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kvServer as a child process ({@code java -cp <test classpath> kv.server.KvServerCommand}), in
 * memory, on a free port: what a test SIGKILLs. Not thread-safe.
 */
public final class KvServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private final Process process;
  private final int port;

  private KvServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts one and waits for its "listening on" line; its log goes to {@code log}. */
  public static KvServerProcess start(Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "kv.server.KvServerCommand", "-a", "127.0.0.1", "-p", "0", "--in-memory", "--quiet"));
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // The test classpath's logback may log to standard output too: look for the line among the first.
    for (int i = 0; i < 200; i++) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      Matcher m = LISTENING.matcher(line);
      if (m.matches()) {
        Thread drain = new Thread(() -> {
          try {
            out.transferTo(Writer.nullWriter());
          } catch (IOException e) {
            // the process is gone
          }
        }, "kvServer-stdout");
        drain.setDaemon(true);
        drain.start();
        return new KvServerProcess(process, Integer.parseInt(m.group(1)));
      }
    }
    process.destroyForcibly();
    throw new IOException("kvServer did not print 'listening on'; log in " + log);
  }

  public int port() {
    return port;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** SIGKILL (destroyForcibly on Linux), and waits until it has exited. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("kvServer " + address() + " did not exit after SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
