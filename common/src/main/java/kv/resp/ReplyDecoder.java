package kv.resp;

import java.nio.ByteBuffer;

/**
 * Client-side RESP2 reply decoder (every RESP2 type, nested arrays). A pure class over bytes;
 * keeps the state of a partly received reply between calls. Not thread-safe: one per connection.
 */
public final class ReplyDecoder {
  public ReplyDecoder(RespLimits limits) {
  }

  /** Returns the next complete reply, or {@code null} when more bytes are needed. */
  public Resp next(ByteBuffer in) throws RespProtocolException {
    throw new UnsupportedOperationException("TODO");
  }
}
