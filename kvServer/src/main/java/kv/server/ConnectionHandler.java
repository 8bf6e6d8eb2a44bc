package kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection: feeds the bytes received to a {@link RequestDecoder}, executes
 * every complete request in order, encodes the replies into one buffer and flushes once per read
 * (pipelined requests are answered in order with few system calls). In strong mode replies
 * come later (once the request's Raft group answered) and are written in request order as they
 * complete. One instance per channel, used only on that channel's event-loop thread.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  /*
   * Memory stays bounded with slow readers: before each request the channel's writability is
   * checked; once the replies waiting in Netty's outbound buffer pass its high-water mark the
   * handler stops reading (autoRead off) and keeps the undecoded input, and resumes when the
   * client has read enough (channelWritabilityChanged). Replies above WRITE_CHUNK bytes are
   * written at once so one read of many small requests for big values cannot pile up.
   * Input is bounded by the decoder's limits (checked before it allocates) and by the total
   * bytes framed for one request. Strong mode: requests keep being executed while earlier ones
   * wait for their groups (so a pipeline becomes one Raft batch); once MAX_WAITING replies are
   * outstanding the handler stops reading until a quarter of them remain.
   */
  static final int WRITE_CHUNK = 64 * 1024;
  static final int MAX_WAITING = 1024;
  /** Bytes of framing allowed on top of maxRequestBytes for one whole request. */
  private static final int FRAMING_SLACK = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
  private static final Logger REQUESTS = LoggerFactory.getLogger("kv.server.requests");
  private static final byte[] TOO_MANY_CLIENTS =
      "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

  private final CommandTable commands;
  /** Strong mode's front end, or null in eventual mode. */
  private final StrongCommands strong;
  /** Strong mode: requests whose replies are not written yet, in request order. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private boolean awaitingReplies;
  private final ServerStats stats;
  private final boolean logRequests;
  private final long maxFramedBytes;
  private final RequestDecoder decoder;
  private Session session;
  private boolean admitted;
  private boolean paused;
  private boolean closing;
  private long requestBytes;
  private ByteBuf pending;
  private ByteBuf out;

  /** A strong-mode request and its reply to come; {@code close}: it was a QUIT. */
  private record Waiting(Request request, CompletableFuture<Resp> reply, boolean close) {}

  ConnectionHandler(CommandTable commands, StrongCommands strong, ServerStats stats, ServerConfig config) {
    this.commands = commands;
    this.strong = strong;
    this.stats = stats;
    this.logRequests = !config.quiet();
    this.maxFramedBytes = (long) config.maxRequestBytes() + FRAMING_SLACK;
    int max = config.maxRequestBytes();
    this.decoder = new RequestDecoder(new RespLimits(max, max, RespLimits.DEFAULT.maxArrayLength()),
        DataCommands.RAW_LINE_COMMANDS);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    session = new Session(stats.nextClientId(), format(ctx.channel().remoteAddress()), System.currentTimeMillis());
    if (!stats.admit(session)) {
      closing = true;
      LOG.warn("client {} refused: max number of clients reached", session.remote());
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    admitted = true;
    LOG.info("client {} connected (id {})", session.remote(), session.id());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (admitted) {
      stats.leave(session);
      LOG.info("client {} disconnected", session.remote());
    }
    release();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (closing) {
      in.release();
      return;
    }
    pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), pending, in);
    if (!paused) {
      drain(ctx);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushReplies(ctx);
    if (!closing && !paused && !ctx.channel().isWritable()) {
      pause(ctx);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && paused && !closing && !awaitingReplies) {
      paused = false;
      drain(ctx);
      flushReplies(ctx);
      if (!paused && !closing) {
        ctx.channel().config().setAutoRead(true);
        LOG.debug("client {} resumed", session.remote());
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String who = session == null ? format(ctx.channel().remoteAddress()) : session.remote();
    if (cause instanceof IOException) {
      LOG.debug("client {}: {}", who, cause.toString());
    } else {
      LOG.warn("client {}: unexpected error, closing the connection", who, cause);
    }
    closing = true;
    ctx.close();
  }

  /** Executes every complete request in {@code pending} until it runs out or the client lags. */
  private void drain(ChannelHandlerContext ctx) {
    while (!closing && !awaitingReplies && pending != null && pending.isReadable()) {
      if (!ctx.channel().isWritable()) {
        pause(ctx);
        break;
      }
      Request request = decodeNext(ctx);
      if (request == null) {
        break;
      }
      if (!request.args().isEmpty()) {
        execute(ctx, request);
      }
    }
    if (pending != null && !pending.isReadable()) {
      pending.release();
      pending = null;
    }
  }

  private Request decodeNext(ChannelHandlerContext ctx) {
    ByteBuffer nio = pending.nioBuffer();
    int start = nio.position();
    Request request;
    try {
      request = decoder.next(nio);
    } catch (RespProtocolException e) {
      protocolError(ctx, e.getMessage());
      return null;
    }
    int consumed = nio.position() - start;
    pending.skipBytes(consumed);
    // Counted whether the request arrived in one read or many, so the limit does not depend on
    // how TCP happened to split the bytes.
    requestBytes += consumed;
    if (requestBytes > maxFramedBytes) {
      protocolError(ctx, "request: more than " + maxFramedBytes + " bytes (expected: at most "
          + (maxFramedBytes - FRAMING_SLACK) + " bytes of arguments, see --max-request-bytes)");
      return null;
    }
    if (request != null) {
      requestBytes = 0;
    }
    return request;
  }

  private void execute(ChannelHandlerContext ctx, Request request) {
    if (strong != null) {
      executeStrong(ctx, request);
      return;
    }
    String command = request.command();
    stats.commandProcessed();
    session.executed(command);
    Resp reply;
    try {
      reply = commands.execute(request, session);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("client {}: internal error in {}", session.remote(), Replies.quote(command), e);
      reply = Replies.error("ERR", "internal error: " + e);
    }
    if (logRequests) {
      REQUESTS.info("{} {} {} -> {}", session.remote(), Replies.quote(command), RequestLog.key(request),
          RequestLog.outcome(reply));
    }
    encode(ctx, reply);
    if (session.closeRequested()) {
      closing = true;
      ctx.writeAndFlush(takeOut()).addListener(ChannelFutureListener.CLOSE);
    } else if (out.readableBytes() >= WRITE_CHUNK) {
      ctx.writeAndFlush(takeOut());
    }
  }

  private void executeStrong(ChannelHandlerContext ctx, Request request) {
    stats.commandProcessed();
    session.executed(request.command());
    CompletableFuture<Resp> reply;
    try {
      reply = strong.execute(request, session);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("client {}: internal error in {}", session.remote(), Replies.quote(request.command()), e);
      reply = CompletableFuture.completedFuture(Replies.error("ERR", "internal error: " + e));
    }
    boolean close = session.closeRequested();
    if (close) {
      closing = true;
    }
    if (waiting.isEmpty() && reply.isDone()) {
      writeReply(ctx, request, reply.join(), close);
      return;
    }
    waiting.add(new Waiting(request, reply, close));
    reply.whenComplete((r, e) -> ctx.executor().execute(() -> writeCompleted(ctx)));
    if (waiting.size() >= MAX_WAITING && !awaitingReplies) {
      awaitingReplies = true;
      ctx.channel().config().setAutoRead(false);
      LOG.debug("client {} has {} requests waiting for their groups; pausing its input", session.remote(),
          waiting.size());
    }
  }

  /* On the event loop: writes the replies that are complete, in request order. */
  private void writeCompleted(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      waiting.clear();
      return;
    }
    while (!waiting.isEmpty() && waiting.peek().reply().isDone()) {
      Waiting w = waiting.poll();
      writeReply(ctx, w.request(), w.reply().join(), w.close());
      if (w.close()) {
        waiting.clear();
        return;
      }
    }
    flushReplies(ctx);
    if (awaitingReplies && waiting.size() <= MAX_WAITING / 4) {
      awaitingReplies = false;
      if (!paused && !closing) {
        drain(ctx);
        flushReplies(ctx);
        if (!paused && !closing && !awaitingReplies) {
          ctx.channel().config().setAutoRead(true);
        }
      }
    }
  }

  private void writeReply(ChannelHandlerContext ctx, Request request, Resp reply, boolean close) {
    if (logRequests) {
      REQUESTS.info("{} {} {} -> {}", session.remote(), Replies.quote(request.command()), RequestLog.key(request),
          RequestLog.outcome(reply));
    }
    encode(ctx, reply);
    if (close) {
      ctx.writeAndFlush(takeOut()).addListener(ChannelFutureListener.CLOSE);
    } else if (out.readableBytes() >= WRITE_CHUNK) {
      ctx.writeAndFlush(takeOut());
    }
  }

  private void protocolError(ChannelHandlerContext ctx, String message) {
    closing = true;
    LOG.info("client {}: protocol error: {}; closing the connection", session.remote(), message);
    encode(ctx, Replies.error("ERR", "Protocol error: " + message));
    ctx.writeAndFlush(takeOut()).addListener(ChannelFutureListener.CLOSE);
  }

  private void encode(ChannelHandlerContext ctx, Resp reply) {
    if (out == null) {
      out = ctx.alloc().ioBuffer(256);
    }
    RespEncoder.encode(reply, new ByteBufOutputStream(out));
  }

  private ByteBuf takeOut() {
    ByteBuf b = out;
    out = null;
    return b;
  }

  private void flushReplies(ChannelHandlerContext ctx) {
    if (out != null && out.isReadable()) {
      ctx.writeAndFlush(takeOut());
    }
  }

  private void pause(ChannelHandlerContext ctx) {
    paused = true;
    ctx.channel().config().setAutoRead(false);
    LOG.debug("client {} is not reading its replies; pausing its input", session.remote());
  }

  private void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
    if (out != null) {
      out.release();
      out = null;
    }
  }

  static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
