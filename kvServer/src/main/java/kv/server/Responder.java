package kv.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import kv.resp.Request;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection sends back and how it ends: records and writes each reply (through its
 * {@link ReplyWriter}), closes after QUIT, and closes with a last error when the connection
 * passed a limit, sent bytes that are not RESP, or could not be admitted or left the cluster's
 * reserve unauthenticated. Used only on the connection's event-loop thread.
 */
final class Responder {
  /*
   * closing: the connection is closing (or refused); nothing more is executed, read or written
   * but what is already on its way. Every path that closes sets it, so the first reason wins.
   */
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
  private static final String MAX_CLIENTS = "max number of clients reached";
  private static final byte[] TOO_MANY_CLIENTS = ("-ERR " + MAX_CLIENTS + "\r\n").getBytes(StandardCharsets.US_ASCII);

  private final ConnectionGuard guard;
  private final ServerStats stats;
  private final long maxReplyBytes;
  private final RequestRecorder recorder;
  private final ReplyWriter writer;
  private Session session;
  private ConnectionAuth auth;
  private boolean closing;

  Responder(ConnectionGuard guard, ServerStats stats, ClientLimits limits, RequestRecorder recorder) {
    this.guard = guard;
    this.stats = stats;
    this.maxReplyBytes = limits.maxReplyBytes();
    this.recorder = recorder;
    this.writer = new ReplyWriter(guard);
  }

  /** The connection was admitted: its replies go out in its session's protocol. */
  void admitted(Session session, ConnectionAuth auth) {
    this.session = session;
    this.auth = auth;
  }

  boolean closing() {
    return closing;
  }

  /** The connection closes (the caller closes the channel or a reply closes it later). */
  void markClosing() {
    closing = true;
  }

  /** Refuses a connection past {@code --max-clients} (no slot, not even in the cluster's reserve). */
  void refuseAdmission(ChannelHandlerContext ctx, Session refused) {
    closing = true;
    LOG.warn("client {} refused: {}", refused.remote(), MAX_CLIENTS);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
  }

  /*
   * Records, encodes and writes one reply; {@code close}: then the connection closes;
   * {@code wanted}: the client wants its replies (CLIENT REPLY); {@code started}: System.nanoTime()
   * when the request began to run.
   */
  void respond(ChannelHandlerContext ctx, Request request, Resp reply, boolean close, boolean wanted, long started) {
    recorder.answered(session, request, reply, started);
    if (auth.reserved()) {
      // a reserve connection whose first request did not make it the cluster's: answered, then refused
      writer.encode(reply, session.client().protocol());
      refuseReserved(ctx, reply);
      return;
    }
    if (wanted) {
      writer.encode(reply, session.client().protocol());
      if (guard.replyOverLimit(writer.buffered())) {
        closeForLimit(ctx, (guard.unsent() + writer.buffered()) + " bytes of replies not read (expected: at most "
            + maxReplyBytes + ", see --max-reply-bytes)", null);
        return;
      }
    }
    if (close) {
      closing = true;
      writer.send(ctx).addListener(ChannelFutureListener.CLOSE);
    } else {
      writer.flushIfChunk(ctx);
    }
  }

  /** Writes the replies encoded so far. */
  void flush(ChannelHandlerContext ctx) {
    writer.flush(ctx);
  }

  /**
   * Closes a connection that passed one of its limits: with {@code reply} (an error message), the
   * replies before it and the error are sent first; without, the unsent replies are dropped.
   */
  void closeForLimit(ChannelHandlerContext ctx, String why, String reply) {
    if (closing) {
      return;
    }
    closing = true;
    stats.closedForLimit();
    LOG.warn("client {}: {}; closing the connection", session.remote(), why);
    if (reply != null) {
      closeAfter(ctx, Replies.error("ERR", reply));
    } else {
      writer.release();
      ctx.close();
    }
  }

  /**
   * Closes a connection admitted into the cluster's reserve that did not authenticate as
   * cluster: the reply to its request (when it had one) is sent first, then the clients' error.
   */
  void refuseReserved(ChannelHandlerContext ctx, Resp replySent) {
    if (closing || !auth.reserved()) {
      return;
    }
    closing = true;
    LOG.warn("client {} refused: {} and it did not authenticate as cluster{}", session.remote(), MAX_CLIENTS,
        replySent == null ? "" : " (" + RequestLog.outcome(replySent) + ")");
    closeAfter(ctx, Replies.error("ERR", MAX_CLIENTS));
  }

  /** Answers bytes that are not RESP (or a request framed with too many bytes) and closes. */
  void protocolError(ChannelHandlerContext ctx, String message) {
    closing = true;
    recorder.protocolError();
    LOG.info("client {}: protocol error: {}; closing the connection", session.remote(), message);
    closeAfter(ctx, Replies.error("ERR", "Protocol error: " + message));
  }

  /* Sends the replies buffered and {@code error} after them, then closes the connection. */
  private void closeAfter(ChannelHandlerContext ctx, Resp error) {
    writer.encode(error, session.client().protocol());
    writer.send(ctx).addListener(ChannelFutureListener.CLOSE);
  }

  /** The connection is gone: replies not written are dropped. */
  void release() {
    writer.release();
  }
}
