import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Bench tool for the failover run: one client sends "PUT KEY record" over RESP, one request at
 * a time, for SECONDS, and prints a line per request: "start-epoch-ms end-epoch-ms OK" or
 * "start end ERR detail" (an error reply, a timeout or a broken connection, after which it
 * connects again). Usage: WriteLoop HOST PORT KEY SECONDS.
 */
public final class WriteLoop {
  private static final int TIMEOUT_MS = 30_000;

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String key = args[2];
    long end = System.currentTimeMillis() + Long.parseLong(args[3]) * 1000;
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Socket socket = null;
    for (long i = 0; System.currentTimeMillis() < end; i++) {
      long start = System.currentTimeMillis();
      String result;
      try {
        if (socket == null) {
          socket = new Socket();
          socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
          socket.setSoTimeout(TIMEOUT_MS);
          socket.setTcpNoDelay(true);
        }
        result = put(socket, key, "{ \"n\" : " + i + " }");
      } catch (IOException e) {
        result = "ERR " + e;
        if (socket != null) {
          socket.close();
          socket = null;
        }
        Thread.sleep(10);
      }
      out.println(start + " " + System.currentTimeMillis() + " " + result);
    }
    if (socket != null) {
      socket.close();
    }
  }

  private static String put(Socket socket, String key, String value) throws IOException {
    OutputStream os = new BufferedOutputStream(socket.getOutputStream());
    byte[][] parts = {"PUT".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8)};
    os.write(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] p : parts) {
      os.write(("$" + p.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      os.write(p);
      os.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    os.flush();
    String line = readLine(new BufferedInputStream(socket.getInputStream(), 1));
    if (line.startsWith("+")) {
      return "OK";
    }
    return "ERR " + line;
  }

  /** One simple-string or error reply line (PUT answers nothing else). */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
