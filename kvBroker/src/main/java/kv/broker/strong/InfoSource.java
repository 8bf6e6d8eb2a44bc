package kv.broker.strong;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kv.cluster.ServerAddress;
import kv.resp.ReplyDecoder;
import kv.resp.Resp;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;

/**
 * How the broker reads a server's INFO before it knows the cluster (strong mode learns G and k
 * from it): the network behind one call, so {@link ClusterDiscovery} runs over canned answers in
 * tests. Implementations are thread-safe.
 */
public interface InfoSource {
  /**
   * The text of {@code server}'s INFO reply.
   *
   * @throws IOException when the server cannot be reached or does not answer in time, or
   *     answers with an error (its text is the message)
   */
  String info(ServerAddress server) throws IOException;

  /** Over a new TCP connection per call, each step bounded by {@code timeout}. */
  static InfoSource socket(Duration timeout) {
    return server -> {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(server.host(), server.port()), millis);
        socket.setSoTimeout(millis);
        OutputStream out = socket.getOutputStream();
        out.write("*1\r\n$4\r\nINFO\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ReplyDecoder decoder = new ReplyDecoder(new RespLimits(64 * 1024, 16 * 1024 * 1024, 16));
        byte[] buffer = new byte[16 * 1024];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
          int n = in.read(buffer);
          if (n < 0) {
            throw new IOException("closed the connection before answering INFO");
          }
          Resp reply = decoder.next(ByteBuffer.wrap(buffer, 0, n));
          if (reply instanceof Resp.Bulk b) {
            return b.text();
          }
          if (reply instanceof Resp.Error e) {
            throw new IOException("answered INFO with -" + e.text());
          }
          if (reply != null) {
            throw new IOException("answered INFO with " + reply + " (expected: a bulk string)");
          }
        }
        throw new SocketTimeoutException("no answer to INFO within " + timeout.toMillis() + " ms");
      } catch (RespProtocolException e) {
        throw new IOException("answered INFO with bytes that are not RESP: " + e.getMessage(), e);
      }
    };
  }
}
