package kv.resp;

import java.nio.ByteBuffer;

/**
 * Incrementally reads the payload of a bulk string and its trailing {@code \r\n} into an array
 * allocated once, when the (already validated) length is known. Not thread-safe.
 */
final class BulkReader {
  private byte[] data = RespBytes.EMPTY;
  private int filled;
  /* 0: payload, 1: expecting '\r', 2: expecting '\n'. */
  private int stage;

  void start(int length) {
    data = length == 0 ? RespBytes.EMPTY : new byte[length];
    filled = 0;
    stage = 0;
  }

  /** Consumes payload bytes and the {@code \r\n}; true when the bulk string is complete. */
  boolean feed(ByteBuffer in) throws RespProtocolException {
    if (stage == 0) {
      int n = Math.min(in.remaining(), data.length - filled);
      in.get(data, filled, n);
      filled += n;
      if (filled < data.length) {
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
        throw new RespProtocolException("bulk string of length " + data.length + ": expected '\\r' after the "
            + data.length + " bytes of data, got " + RespBytes.describe(b));
      }
      stage = 2;
    }
    if (!in.hasRemaining()) {
      return false;
    }
    byte b = in.get();
    if (b != '\n') {
      throw new RespProtocolException("bulk string of length " + data.length + ": expected '\\n' after '\\r', got "
          + RespBytes.describe(b));
    }
    return true;
  }

  /** The completed payload; the reader forgets it. */
  byte[] take() {
    byte[] result = data;
    data = RespBytes.EMPTY;
    return result;
  }
}
