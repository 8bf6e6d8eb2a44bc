package kv.resp;

import java.nio.ByteBuffer;

/**
 * What the incremental decoders share: the usage contract of {@link #next} and the failed state
 * after a protocol error (the stream cannot be resynchronised, so the decoder refuses further
 * input). Not thread-safe: one per connection.
 *
 * @param <T> what one complete frame decodes to
 */
abstract class IncrementalDecoder<T> {
  private String failure;

  /**
   * Consumes bytes from {@code in} and returns the next complete frame ({@code in}'s position is
   * then just after it; call again for pipelined frames), or {@code null} when {@code in} holds no
   * complete frame: then every byte of {@code in} was consumed and remembered, so the caller may
   * discard or clear the buffer.
   *
   * @throws RespProtocolException when the stream cannot be framed (the connection must close);
   *     afterwards every call throws IllegalStateException naming that error
   */
  public final T next(ByteBuffer in) throws RespProtocolException {
    if (failure != null) {
      throw new IllegalStateException("decoder unusable after a protocol error: " + failure);
    }
    try {
      return decode(in);
    } catch (RespProtocolException e) {
      failure = e.getMessage();
      discard();
      throw e;
    }
  }

  /** The decoding itself, under {@link #next}'s contract. */
  abstract T decode(ByteBuffer in) throws RespProtocolException;

  /** Drops the partly decoded frame after a protocol error. */
  abstract void discard();
}
