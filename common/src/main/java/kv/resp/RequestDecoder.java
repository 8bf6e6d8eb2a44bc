package kv.resp;

import java.nio.ByteBuffer;

/**
 * Server-side RESP2 request decoder: arrays of bulk strings and inline lines (Redis's inline
 * quoting rules; empty inline lines skipped with no reply). A pure class over bytes with no
 * socket; keeps the state of a partly received request between calls. Not thread-safe: one per
 * connection.
 */
public final class RequestDecoder {
  public RequestDecoder(RespLimits limits) {
  }

  /**
   * Consumes bytes from {@code in} and returns the next complete request, or {@code null} when
   * {@code in} holds no complete request yet (the bytes consumed so far are remembered).
   *
   * @throws RespProtocolException when the stream cannot be framed (the connection must close)
   */
  public Request next(ByteBuffer in) throws RespProtocolException {
    throw new UnsupportedOperationException("TODO");
  }
}
