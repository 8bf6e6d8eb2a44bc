package kv.broker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import kv.resp.ReplyDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;

/** A raw RESP client for tests: writes exact bytes, reads decoded replies. Not thread-safe. */
public final class RespTestClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ReplyDecoder decoder = new ReplyDecoder(RespLimits.DEFAULT);
  private ByteBuffer buffer = ByteBuffer.allocate(0);

  public RespTestClient(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public void sendRaw(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  public void send(String... args) throws IOException {
    out.write(RespEncoder.request(args));
    out.flush();
  }

  /** Sends every request in one write (a pipeline that arrives at once). */
  public void sendAll(java.util.List<String[]> requests) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String[] request : requests) {
      all.write(RespEncoder.request(request));
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** The next reply, or null when the server closed the connection. */
  public Resp read() throws Exception {
    while (true) {
      if (buffer.hasRemaining()) {
        Resp reply = decoder.next(buffer);
        if (reply != null) {
          return reply;
        }
      }
      byte[] chunk = new byte[8192];
      int n = in.read(chunk);
      if (n < 0) {
        return null;
      }
      buffer = ByteBuffer.wrap(chunk, 0, n);
    }
  }

  /** The next {@code n} bytes as they came, undecoded (to check a reply's framing). */
  public String readBytes(int n) throws IOException {
    byte[] bytes = new byte[n];
    int got = 0;
    while (got < n) {
      if (!buffer.hasRemaining()) {
        byte[] chunk = new byte[8192];
        int read = in.read(chunk);
        if (read < 0) {
          throw new IOException("closed after " + got + " of " + n + " bytes");
        }
        buffer = ByteBuffer.wrap(chunk, 0, read);
      }
      int take = Math.min(n - got, buffer.remaining());
      buffer.get(bytes, got, take);
      got += take;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Whether the server sends nothing (and keeps the connection open) for {@code millis}. */
  public boolean silentFor(int millis) throws IOException {
    if (buffer.hasRemaining()) {
      return false;
    }
    int old = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      in.read(); // a byte, or -1 at the end of the stream: either way not silent
      return false;
    } catch (java.net.SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(old);
    }
  }

  public Resp call(String... args) throws Exception {
    send(args);
    return read();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
