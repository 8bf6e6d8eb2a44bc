package kv.broker.router;

import java.nio.ByteBuffer;
import kv.broker.command.CommandParser;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;

/**
 * Frames one client's requests under the router's limits: the port's once the client is
 * authenticated, Redis's limits for unauthenticated clients before (10 arguments of 16 KiB, as
 * kvServer's), and a bound on each request's arguments and framing together. Not thread-safe:
 * confined to the connection's event loop.
 */
final class RequestReader {
  /** Bytes of RESP framing a request may carry on top of its largest argument. */
  static final int FRAMING_SLACK = 64 * 1024;
  /** Before AUTH on a port with a password: Redis's limits for unauthenticated clients (as kvServer's). */
  static final int PRE_AUTH_BYTES = 16 * 1024;
  static final int PRE_AUTH_ARGS = 10;

  private final RequestDecoder fullDecoder;
  private RequestDecoder decoder;
  /**
   * Largest request, all arguments and framing together (as kvServer's --max-request-bytes):
   * each argument is checked by the decoder, their sum here, so many arguments cannot add up to
   * more memory than one large one.
   */
  private final long maxRequestBytes;
  /** Bytes of the request being decoded, counted over however many reads it arrives in. */
  private long requestBytes;

  RequestReader(RespLimits limits) {
    // As kvServer: an inline PUT or QUERY keeps the rest of its line as typed (a record is not
    // split into words; a quoted path segment keeps its quotes).
    this.fullDecoder = new RequestDecoder(limits, CommandParser.RAW_LINE_COMMANDS);
    this.decoder = fullDecoder;
    this.maxRequestBytes = (long) limits.maxBulkBytes() + FRAMING_SLACK;
  }

  /** The limits of a client that connected authenticated or not. */
  void open(boolean authenticated) {
    decoder = authenticated ? fullDecoder : preAuthDecoder();
  }

  /**
   * After a command ran: the limits for the client's user now (new ones when the user changed or
   * the client was authenticated or logged out).
   */
  void afterCommand(boolean userChanged, boolean authenticated) {
    if (userChanged || authenticated != (decoder == fullDecoder)) {
      decoder = authenticated ? fullDecoder : preAuthDecoder();
    }
  }

  /**
   * Decodes from {@code in} (advancing it past what was consumed): the next request, or null
   * when it has not all arrived yet.
   *
   * @throws RespProtocolException on a framing error or a request over the size limit
   */
  Request next(ByteBuffer in) throws RespProtocolException {
    Request request = decoder.next(in);
    requestBytes += in.position();
    if (requestBytes > maxRequestBytes) {
      throw new RespProtocolException("request: more than " + maxRequestBytes + " bytes (expected: at most "
          + (maxRequestBytes - FRAMING_SLACK) + " bytes of arguments)");
    }
    if (request != null) {
      requestBytes = 0;
    }
    return request;
  }

  private static RequestDecoder preAuthDecoder() {
    return new RequestDecoder(new RespLimits(PRE_AUTH_BYTES, PRE_AUTH_BYTES, PRE_AUTH_ARGS),
        CommandParser.RAW_LINE_COMMANDS);
  }
}
