package kv.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import kv.resp.ReplyDecoder;
import kv.resp.Resp;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;

/** A plain socket that writes raw bytes and reads RESP replies, for protocol tests. Not thread-safe. */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ReplyDecoder decoder = new ReplyDecoder(RespLimits.DEFAULT);
  private ByteBuffer buffered = ByteBuffer.allocate(0);

  RawClient(int port) throws IOException {
    this(port, null);
  }

  /** Connected from {@code localAddress} (e.g. 127.0.0.2, another loopback address on Linux), or any when null. */
  RawClient(int port, java.net.InetAddress localAddress) throws IOException {
    socket = localAddress == null ? new Socket("127.0.0.1", port) : new Socket("127.0.0.1", port, localAddress, 0);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  Socket socket() {
    return socket;
  }

  RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next reply; fails when the server closes the connection first or sends nothing for 10 s. */
  Resp read() throws IOException {
    Resp reply = readOrNull();
    if (reply == null) {
      throw new AssertionError("connection closed before a reply");
    }
    return reply;
  }

  /** The next reply, or null when the server closed the connection. */
  Resp readOrNull() throws IOException {
    byte[] chunk = new byte[64 * 1024];
    while (true) {
      try {
        Resp reply = decoder.next(buffered);
        if (reply != null) {
          return reply;
        }
      } catch (RespProtocolException e) {
        throw new AssertionError("server sent bad RESP: " + e.getMessage(), e);
      }
      int n = in.read(chunk);
      if (n < 0) {
        return null;
      }
      // the decoder consumed every earlier byte (it returned null), so the new chunk replaces them
      buffered = ByteBuffer.wrap(java.util.Arrays.copyOf(chunk, n));
    }
  }

  /** Exactly {@code n} bytes as text, for checking the wire form of replies (nothing decoded before). */
  String readBytes(int n) throws IOException {
    if (buffered.hasRemaining()) {
      throw new IllegalStateException("bytes already buffered for the decoder");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  /** True when the server closed the connection (reads end of stream within 10 s). */
  boolean closedByServer() throws IOException {
    try {
      return readOrNull() == null;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  /** True when nothing arrives for {@code millis} (and the connection is still open). */
  boolean silentFor(int millis) throws IOException {
    int old = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      in.read(); // a byte, or -1 at end of stream: either way not silent
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(old);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
