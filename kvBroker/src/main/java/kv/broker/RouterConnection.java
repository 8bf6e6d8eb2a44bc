package kv.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the router: decodes requests, asks {@link RouterCommands} for each
 * reply and writes the replies in request order although they complete out of order (a FIFO of
 * pending replies, drained from the head, flushed once per batch). Stops reading while too many
 * replies are pending or the socket is not writable. All state is confined to the channel's
 * event loop; completions from other threads hop onto it.
 */
final class RouterConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);
  /** Pending replies per connection before the router stops reading from it. */
  static final int MAX_PENDING = 1024;

  private final RouterCommands commands;
  private final RouterServer.Counters counters;
  private final RequestDecoder decoder;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean closing;

  /** A reply in request order; {@code resp} is null until its future completes. */
  private static final class Pending {
    Resp resp;
    final boolean close;

    Pending(boolean close) {
      this.close = close;
    }
  }

  RouterConnection(RouterCommands commands, RouterServer.Counters counters, RespLimits limits) {
    this.commands = commands;
    this.counters = counters;
    this.decoder = new RequestDecoder(limits);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    counters.opened();
    log.debug("client {} connected", ctx.channel().remoteAddress());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    counters.closed();
    closing = true;
    pending.clear();
    log.debug("client {} disconnected", ctx.channel().remoteAddress());
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      if (closing) {
        return;
      }
      ByteBuffer in = buf.nioBuffer(buf.readerIndex(), buf.readableBytes());
      while (!closing) {
        Request request;
        try {
          request = decoder.next(in);
        } catch (RespProtocolException e) {
          log.debug("client {}: protocol error: {}", ctx.channel().remoteAddress(), e.getMessage());
          Pending p = new Pending(true);
          p.resp = new Resp.Error("ERR Protocol error: " + e.getMessage());
          pending.add(p);
          closing = true;
          break;
        }
        if (request == null) {
          break;
        }
        counters.command();
        submit(request);
      }
    } finally {
      buf.release();
    }
    drain();
    throttle();
  }

  private void submit(Request request) {
    RouterCommands.Reply reply;
    try {
      reply = commands.handle(request, counters);
    } catch (RuntimeException e) {
      // A bug must not kill the connection's order of replies: answer an error in its place.
      log.warn("request {} failed", request.command(), e);
      reply = RouterCommands.Reply.now(new Resp.Error("ERR internal error: " + e));
    }
    Pending p = new Pending(reply.close());
    pending.add(p);
    if (reply.close()) {
      closing = true;
    }
    if (reply.resp().isDone()) {
      p.resp = reply.resp().getNow(null);
    } else {
      reply.resp().whenComplete((resp, error) -> ctx.executor().execute(() -> {
        p.resp = resp != null ? resp : new Resp.Error("ERR internal error: " + error);
        drain();
        throttle();
      }));
    }
  }

  /** Writes every completed reply at the head of the queue, then flushes once. */
  private void drain() {
    if (!ctx.channel().isActive()) {
      return;
    }
    boolean wrote = false;
    ByteBuf out = null;
    while (!pending.isEmpty() && pending.peek().resp != null) {
      Pending p = pending.poll();
      if (out == null) {
        out = ctx.alloc().buffer();
      }
      RespEncoder.encode(p.resp, new ByteBufOutputStream(out));
      wrote = true;
      if (p.close) {
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        pending.clear();
        return;
      }
    }
    if (wrote) {
      ctx.writeAndFlush(out);
    }
  }

  /** Reads only while the backlog is small and the socket drains (bounded memory per client). */
  private void throttle() {
    boolean read = !closing && pending.size() < MAX_PENDING && ctx.channel().isWritable();
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    throttle();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
