package kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.RespProtocolException;

/**
 * A connection's received bytes not decoded yet: takes the next complete request from them through
 * the connection's current decoder, bounds the bytes framed for one request across reads, and
 * reports the partial request to the {@link ConnectionGuard}. Used only on the connection's
 * event-loop thread.
 */
final class RequestReader {
  /*
   * Input is bounded by the decoder's limits (checked before it allocates) and by the total bytes
   * framed for one request, counted whether the request arrived in one read or many, so the limit
   * does not depend on how TCP happened to split the bytes.
   */
  /** Bytes of framing allowed on top of maxRequestBytes for one whole request. */
  static final int FRAMING_SLACK = 64 * 1024;

  /** The partial requests held by the server passed their bound; the message says why. */
  static final class OverLimit extends Exception {
    private static final long serialVersionUID = 1L;

    OverLimit(String why) {
      super(why, null, false, false);
    }
  }

  private final long maxFramedBytes;
  private final ConnectionGuard guard;
  private ByteBuf pending;
  private long requestBytes;

  RequestReader(int maxRequestBytes, ConnectionGuard guard) {
    this.maxFramedBytes = (long) maxRequestBytes + FRAMING_SLACK;
    this.guard = guard;
  }

  /** Keeps the bytes of one read (taking ownership of {@code in}). */
  void add(ByteBufAllocator alloc, ByteBuf in) {
    pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, pending, in);
  }

  /** Whether undecoded bytes remain. */
  boolean hasInput() {
    return pending != null && pending.isReadable();
  }

  /**
   * The next complete request, or null when the bytes held end in a partial one.
   *
   * @throws RespProtocolException the bytes are not RESP, or one request is framed with too many bytes
   * @throws OverLimit the partial request takes the server's partial requests over their bound
   */
  Request next(RequestDecoder decoder) throws RespProtocolException, OverLimit {
    ByteBuffer nio = pending.nioBuffer();
    int start = nio.position();
    Request request = decoder.next(nio);
    int consumed = nio.position() - start;
    pending.skipBytes(consumed);
    requestBytes += consumed;
    if (requestBytes > maxFramedBytes) {
      throw new RespProtocolException("request: more than " + maxFramedBytes + " bytes (expected: at most "
          + (maxFramedBytes - FRAMING_SLACK) + " bytes of arguments, see --max-request-bytes)");
    }
    if (request != null) {
      requestBytes = 0;
      guard.requestInProgress(false);
      guard.pending(0); // a compare, unless the request spanned reads and was counted
    } else {
      guard.requestInProgress(decoder.inProgress());
      String overLimit = guard.pending(decoder.bufferedBytes());
      if (overLimit != null) {
        throw new OverLimit(overLimit);
      }
    }
    return request;
  }

  /** Frees the buffer once every byte in it was decoded. */
  void releaseIfEmpty() {
    if (pending != null && !pending.isReadable()) {
      pending.release();
      pending = null;
    }
  }

  void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
