package kv.resp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Incrementally reads the payload of a bulk string and its trailing {@code \r\n}. The (already
 * validated) declared length is a promise, not a reason to allocate: the buffer starts at most
 * {@link #FIRST_CHUNK} bytes and doubles as bytes arrive, up to the declared length. Not
 * thread-safe.
 */
final class BulkReader {
  /*
   * A header "$67108864" followed by nothing used to cost 64 MiB at once; 200 such connections
   * took a broker to 5.3 GB. Now a promise costs at most FIRST_CHUNK until its bytes come, and
   * memory stays within twice the bytes received (geometric growth copies each byte about twice
   * on average, a cost paid only by payloads over FIRST_CHUNK). Payloads up to FIRST_CHUNK, the
   * usual case, are allocated once at their exact size as before.
   */
  static final int FIRST_CHUNK = 64 * 1024;

  private byte[] data = RespBytes.EMPTY;
  private int length;
  private int filled;
  /* 0: payload, 1: expecting '\r', 2: expecting '\n'. */
  private int stage;

  void start(int length) {
    this.length = length;
    data = length == 0 ? RespBytes.EMPTY : new byte[Math.min(length, FIRST_CHUNK)];
    filled = 0;
    stage = 0;
  }

  /** Consumes payload bytes and the {@code \r\n}; true when the bulk string is complete. */
  boolean feed(ByteBuffer in) throws RespProtocolException {
    if (stage == 0) {
      while (filled < length && in.hasRemaining()) {
        if (filled == data.length) {
          data = Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
        }
        int n = Math.min(in.remaining(), data.length - filled);
        in.get(data, filled, n);
        filled += n;
      }
      if (filled < length) {
        return false;
      }
      stage = 1;
    }
    if (stage == 1) {
      if (!in.hasRemaining()) {
        return false;
      }
      byte b = in.get();
      if (b != '\r') {
        throw new RespProtocolException("bulk string of length " + length + ": expected '\\r' after the "
            + length + " bytes of data, got " + RespBytes.describe(b));
      }
      stage = 2;
    }
    if (!in.hasRemaining()) {
      return false;
    }
    byte b = in.get();
    if (b != '\n') {
      throw new RespProtocolException("bulk string of length " + length + ": expected '\\n' after '\\r', got "
          + RespBytes.describe(b));
    }
    return true;
  }

  /** Bytes of the buffer held for the bulk string being read (0 once taken). */
  int allocated() {
    return data.length;
  }

  /** The completed payload (exactly the declared length); the reader forgets it. */
  byte[] take() {
    byte[] result = data;
    data = RespBytes.EMPTY;
    return result;
  }
}
