import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bench tool for the failure-detection run: THREADS clients each send GET of random keys of a
 * data file (one request at a time) for SECONDS and check every answer against the file. Every
 * read that is not the record's text (an error reply, NOT FOUND, a wrong value, a timeout or a
 * broken connection) is printed as "FAIL epoch-ms kind key detail"; at the end one line
 * "SUMMARY reads=.. ok=.. failed=.. max_ms=.. max_at=epoch-ms". Usage: ReadLoop HOST PORT FILE
 * SECONDS THREADS. The file's lines are "key : set-text" as createData writes them.
 */
public final class ReadLoop {
  private static final int TIMEOUT_MS = 5000;

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    List<String[]> records = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
      int sep = line.indexOf(" : ");
      if (sep > 0) {
        records.add(new String[] {line.substring(0, sep), line.substring(sep + 3)});
      }
    }
    long end = System.currentTimeMillis() + (long) (Double.parseDouble(args[3]) * 1000);
    int threads = Integer.parseInt(args[4]);
    AtomicLong reads = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong maxNanos = new AtomicLong();
    AtomicLong maxAt = new AtomicLong();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(t);
      Thread thread = new Thread(() -> {
        Conn conn = null;
        while (System.currentTimeMillis() < end) {
          String[] record = records.get(random.nextInt(records.size()));
          long started = System.nanoTime();
          String outcome;
          try {
            if (conn == null) {
              conn = new Conn(host, port);
            }
            outcome = check(conn.get(record[0]), record[1]);
          } catch (IOException e) {
            outcome = "io " + e;
            close(conn);
            conn = null;
          }
          long nanos = System.nanoTime() - started;
          reads.incrementAndGet();
          synchronized (maxNanos) {
            if (nanos > maxNanos.get()) {
              maxNanos.set(nanos);
              maxAt.set(System.currentTimeMillis());
            }
          }
          if (outcome == null) {
            ok.incrementAndGet();
          } else {
            synchronized (System.out) {
              System.out.println("FAIL " + System.currentTimeMillis() + " " + record[0] + " " + outcome);
            }
          }
        }
        close(conn);
      }, "reader-" + t);
      thread.start();
      all.add(thread);
    }
    for (Thread thread : all) {
      thread.join();
    }
    System.out.printf("SUMMARY reads=%d ok=%d failed=%d max_ms=%.1f max_at=%d%n", reads.get(), ok.get(),
        reads.get() - ok.get(), maxNanos.get() / 1e6, maxAt.get());
  }

  /* null when the reply is the record: its set text, or "key : set-text" */
  private static String check(String reply, String expected) {
    if (reply == null) {
      return "notfound";
    }
    if (reply.startsWith("-")) {
      return "error " + reply;
    }
    if (reply.equals(expected) || reply.endsWith(" : " + expected)) {
      return null;
    }
    return "wrong " + reply;
  }

  /** One client connection; one request at a time. */
  private static final class Conn {
    final Socket socket = new Socket();
    final InputStream in;
    final OutputStream out;

    Conn(String host, int port) throws IOException {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream());
      out = new BufferedOutputStream(socket.getOutputStream());
    }

    /* the bulk reply's text, "-error" for an error reply, null for the null bulk */
    String get(String key) throws IOException {
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      out.write(("*2\r\n$3\r\nGET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(k);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int type = in.read();
      String line = readLine(in);
      if (type == '$') {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] body = in.readNBytes(n + 2);
        return new String(body, 0, n, StandardCharsets.UTF_8);
      }
      if (type == '-') {
        return "-" + line;
      }
      throw new IOException("unexpected reply type " + type + " " + line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      line.append((char) c);
    }
    in.read();
    return line.toString();
  }

  private static void close(Conn conn) {
    if (conn != null) {
      try {
        conn.socket.close();
      } catch (IOException e) {
        // closing a broken socket
      }
    }
  }
}
