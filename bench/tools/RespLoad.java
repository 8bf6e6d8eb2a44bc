import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Bench tool: streams a file of RESP commands (arrays of bulk strings) to one server over one
 * connection, pipelined with at most WINDOW (default 1000) commands without reply, and reads the
 * replies, counting error replies. Works with any RESP server, including twemproxy, which does
 * not support the ECHO that redis-cli --pipe ends with, and which buffers without limit whatever
 * a client sends (an unbounded pipeline of 1M records grew it to gigabytes). Usage: RespLoad HOST
 * PORT FILE COMMANDS [WINDOW]. Prints one summary line; exit code 1 when a reply was an error or
 * the connection failed. Single-use, two threads.
 */
public final class RespLoad {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    Path file = Path.of(args[2]);
    long expected = Long.parseLong(args[3]);
    Semaphore window = new Semaphore(args.length > 4 ? Integer.parseInt(args[4]) : 1000);
    long start = System.nanoTime();
    try (Socket socket = new Socket(host, port)) {
      socket.setTcpNoDelay(true);
      Thread writer = new Thread(() -> {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
          OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
          for (int c = in.read(); c == '*'; c = in.read()) {
            if (!window.tryAcquire()) {
              out.flush();
              window.acquire();
            }
            String count = readLine(in);
            out.write('*');
            out.write((count + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = Integer.parseInt(count); i > 0; i--) {
              in.read(); // '$'
              String length = readLine(in);
              out.write(('$' + length + "\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(in.readNBytes(Integer.parseInt(length) + 2));
            }
          }
          out.flush();
        } catch (IOException | InterruptedException | RuntimeException e) {
          System.err.println("RespLoad: sending " + file + ": " + e);
        }
      }, "writer");
      writer.start();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      long errors = 0;
      String firstError = null;
      for (long i = 0; i < expected; i++) {
        int type = in.read();
        String line = readLine(in);
        window.release();
        if (type == '-') {
          errors++;
          if (firstError == null) {
            firstError = line;
          }
        } else if (type == '$') {
          int n = Integer.parseInt(line);
          if (n >= 0) {
            in.skipNBytes(n + 2L);
          }
        } else if (type != '+' && type != ':') {
          throw new IOException("reply " + (i + 1) + ": unexpected type byte " + type + " (expected: + - : $)");
        }
      }
      writer.join();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("replies=%d errors=%d seconds=%.3f rate=%.0f%s%n", expected, errors, seconds,
          expected / seconds, firstError == null ? "" : " first_error=" + firstError);
      System.exit(errors == 0 ? 0 : 1);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed by the server");
      }
      line.append((char) c);
    }
    in.read(); // \n
    return line.toString();
  }
}
