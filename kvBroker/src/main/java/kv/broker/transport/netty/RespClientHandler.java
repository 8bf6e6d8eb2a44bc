package kv.broker.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import kv.broker.transport.TransportException;
import kv.resp.EncodeBuffer;
import kv.resp.ReplyDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.security.TlsContexts;

/**
 * The client side of one pipelined RESP connection: encodes each {@link Outgoing} and queues its
 * future; decodes replies with the common {@link ReplyDecoder} and completes the futures in
 * order; measures the server's {@link Silence}; when the channel ends, fails whatever is still
 * queued. Confined to the channel's event loop (but {@link #silentNanos}); one instance per channel.
 */
final class RespClientHandler extends ChannelDuplexHandler {

  /** One request on its way to the wire, with the future its reply completes. */
  record Outgoing(List<byte[]> args, CompletableFuture<Resp> future) {}

  private final ArrayDeque<CompletableFuture<Resp>> pending = new ArrayDeque<>();
  private final ReplyDecoder decoder = new ReplyDecoder(RespLimits.DEFAULT);
  private final EncodeBuffer encoded = new EncodeBuffer();
  private final long checkNanos;
  private final LongSupplier nanoTime;
  private Silence silence;
  private ScheduledFuture<?> checker;
  /** The silence proven at the last check, for the failure detector on other threads. */
  private volatile long silentNanos;
  /** Why the channel ended; read by the closing side after the channel is closed. */
  private volatile String closeReason;

  /**
   * @param checkPeriod how often the silence is checked (the precision of the failure detector)
   * @param nanoTime the clock the silence is measured with
   */
  RespClientHandler(Duration checkPeriod, LongSupplier nanoTime) {
    this.checkNanos = Math.max(1, checkPeriod.toNanos());
    this.nanoTime = nanoTime;
    this.silence = new Silence(nanoTime.getAsLong());
  }

  /** How long the server has owed a reply without sending a byte, as of the last check (0 if not). */
  long silentNanos() {
    return silentNanos;
  }

  String closeReason() {
    String reason = closeReason;
    return reason != null ? reason : "connection closed by the server";
  }

  /** Requests written together: encoded into one buffer, so a burst costs one buffer and one write. */
  record Batch(List<Outgoing> commands) {}

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof Batch batch)) {
      ctx.write(msg, promise);
      return;
    }
    if (!ctx.channel().isActive()) {
      TransportException closed = new TransportException("connection closed (" + closeReason() + ")");
      batch.commands().forEach(command -> command.future().completeExceptionally(closed));
      return;
    }
    boolean wasOwed = !pending.isEmpty();
    for (Outgoing command : batch.commands()) {
      int mark = encoded.size();
      try {
        RespEncoder.encodeRequest(command.args(), encoded);
        pending.add(command.future());
      } catch (RuntimeException e) {
        encoded.truncate(mark);
        command.future().completeExceptionally(new TransportException("cannot encode the request: " + e, e));
      }
    }
    if (encoded.size() == 0) {
      return;
    }
    ByteBuf buf = ctx.alloc().buffer(encoded.size());
    buf.writeBytes(encoded.array(), 0, encoded.size());
    encoded.reset();
    if (!wasOwed) {
      silence.owing(nanoTime.getAsLong());
    }
    ctx.write(buf, promise);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    silence = new Silence(nanoTime.getAsLong());
    // Runs between the loop's reads (Netty runs due scheduled tasks after processing I/O, and a
    // periodic task again only in a later round), which Silence.check needs.
    checker = ctx.executor().scheduleWithFixedDelay(this::check, checkNanos, checkNanos, TimeUnit.NANOSECONDS);
    super.channelActive(ctx);
  }

  private void check() {
    silentNanos = silence.check(nanoTime.getAsLong(), !pending.isEmpty());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    silence.heard(nanoTime.getAsLong());
    try {
      for (ByteBuffer nio : buf.nioBuffers()) {
        // Ask until the decoder has nothing complete: it may hold buffered bytes of several replies.
        for (Resp reply = decoder.next(nio); reply != null; reply = decoder.next(nio)) {
          CompletableFuture<Resp> future = pending.poll();
          if (future == null) {
            throw new RespProtocolException("reply without a request: " + reply);
          }
          future.complete(reply);
        }
      }
    } catch (RespProtocolException e) {
      closeReason = "protocol error: " + e.getMessage();
      ctx.close();
    } finally {
      buf.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closeReason == null) {
      String tls = TlsContexts.refusal(cause); // e.g. the server refused our certificate after the handshake (TLS 1.3)
      closeReason = tls != null ? tls + " (expected: --server-tls-ca to have signed the server's certificate and,"
          + " where the server asks for one, a client certificate it trusts: --server-tls-cert, --server-tls-key)"
          : "connection lost: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (checker != null) {
      checker.cancel(false);
    }
    TransportException failure = new TransportException(closeReason());
    for (CompletableFuture<Resp> f = pending.poll(); f != null; f = pending.poll()) {
      f.completeExceptionally(failure);
    }
    super.channelInactive(ctx);
  }

  /** Called before the broker closes the channel itself. */
  void closing(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }
}
