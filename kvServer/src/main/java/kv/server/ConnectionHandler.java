package kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
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
import java.util.concurrent.TimeUnit;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.resp.connection.ClientState;
import kv.security.AuthThrottle;
import kv.security.Users;
import kv.security.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection: feeds the bytes received to a {@link RequestDecoder}, executes
 * every complete request in order, encodes the replies into one buffer and flushes once per read
 * (pipelined requests are answered in order with few system calls). Before AUTH the decoder
 * takes only small requests, and a password attempt from an address with recent failures waits
 * its turn ({@link AuthThrottle}) without holding the thread. In strong mode replies come later
 * (once the request's Raft group answered) and are written in request order as they complete.
 * One instance per channel, used only on that channel's event-loop thread.
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
   *
   * A password attempt first asks ConnectionAuth for its turn; if it must wait, reading stops
   * (awaitingAuth, like paused) and the attempt is scheduled on this event loop, then the
   * connection goes on with what it had sent after it.
   */
  static final int WRITE_CHUNK = 64 * 1024;
  static final int MAX_WAITING = 1024;
  /** Bytes of framing allowed on top of maxRequestBytes for one whole request. */
  private static final int FRAMING_SLACK = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
  private static final Logger REQUESTS = LoggerFactory.getLogger("kv.server.requests");
  private static final String MAX_CLIENTS = "max number of clients reached";
  private static final byte[] TOO_MANY_CLIENTS = ("-ERR " + MAX_CLIENTS + "\r\n").getBytes(StandardCharsets.US_ASCII);

  private final CommandTable commands;
  /** Strong mode's front end, or null in eventual mode. */
  private final StrongCommands strong;
  /** Strong mode: requests whose replies are not written yet, in request order. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private boolean awaitingReplies;
  private final ServerStats stats;
  private final ServerMetrics metrics;
  private final ServerConfig config;
  private final boolean logRequests;
  private final long maxFramedBytes;
  private final RequestDecoder fullDecoder;
  private final ConnectionGuard guard;
  private final Users users;
  private final AuthThrottle throttle;
  private Session session;
  private ConnectionAuth auth;
  private boolean admitted;
  private boolean awaitingAuth;
  private boolean paused;
  private boolean closing;
  private long requestBytes;
  private ByteBuf pending;
  private ByteBuf out;

  /**
   * A strong-mode request and its reply to come; {@code close}: it asked to close (QUIT),
   * {@code wanted}: its reply is written (CLIENT REPLY), both as they were when it ran.
   */
  private record Waiting(Request request, CompletableFuture<Resp> reply, boolean close, boolean wanted, long started) {}

  ConnectionHandler(CommandTable commands, StrongCommands strong, ServerStats stats, ServerMetrics metrics,
      ServerConfig config, AuthThrottle throttle) {
    this.commands = commands;
    this.strong = strong;
    this.stats = stats;
    this.metrics = metrics;
    this.config = config;
    this.logRequests = !config.quiet();
    this.maxFramedBytes = (long) config.maxRequestBytes() + FRAMING_SLACK;
    int max = config.maxRequestBytes();
    this.fullDecoder = new RequestDecoder(new RespLimits(max, max, RespLimits.DEFAULT.maxArrayLength()),
        DataCommands.RAW_LINE_COMMANDS);
    this.guard = new ConnectionGuard(config.limits(), stats);
    this.users = config.security().users();
    this.throttle = throttle;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ClientState client = new ClientState(stats.nextClientId(), format(ctx.channel().remoteAddress()),
        format(ctx.channel().localAddress()), System.currentTimeMillis(), users);
    client.onKill(() -> {
      LOG.info("client {} killed by CLIENT KILL", client.address());
      ctx.channel().close();
    });
    session = new Session(client);
    ServerStats.Slot slot = stats.admit(session, users.hasClusterUser());
    if (slot == null) {
      closing = true;
      LOG.warn("client {} refused: {}", session.remote(), MAX_CLIENTS);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    admitted = true;
    auth = new ConnectionAuth(session, remoteInet(ctx), config, stats, throttle, fullDecoder);
    if (slot == ServerStats.Slot.RESERVE) {
      LOG.info("client {} connected (id {}) into the cluster's reserve: the clients' slots are full, so it must"
          + " authenticate as cluster first", session.remote(), session.id());
      auth.reserve(ctx.executor().schedule(() -> refuseReserved(ctx, null),
          ServerStats.RESERVE_DEADLINE_SECONDS, TimeUnit.SECONDS));
    } else {
      LOG.info("client {} connected (id {})", session.remote(), session.id());
    }
    guard.start(ctx, (why, reply) -> closeForLimit(ctx, why, reply));
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
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && !done.isSuccess()) {
      if (closing) {
        return;
      }
      String why = TlsContexts.refusal(done.cause());
      LOG.info("client {}: {}; closing the connection", who(ctx),
          why != null ? why : "TLS handshake failed: " + TlsContexts.describe(done.cause()));
      closing = true;
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (closing) {
      in.release();
      return;
    }
    guard.active();
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
    if (ctx.channel().isWritable() && paused && !closing) {
      paused = false;
      guard.paused(false);
      drain(ctx);
      flushReplies(ctx);
      if (!paused && !closing && !awaitingAuth && !awaitingReplies) {
        ctx.channel().config().setAutoRead(true);
        LOG.debug("client {} resumed", session.remote());
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String who = who(ctx);
    String tls = TlsContexts.refusal(cause);
    if (tls != null) {
      if (!closing) { // usually the handshake's failure event said it already
        LOG.info("client {}: {}; closing the connection", who, tls);
      }
    } else if (cause instanceof IOException) {
      LOG.debug("client {}: {}", who, cause.toString());
    } else {
      LOG.warn("client {}: unexpected error, closing the connection", who, cause);
    }
    closing = true;
    ctx.close();
  }

  /** Executes every complete request in {@code pending} until it runs out or the client lags. */
  private void drain(ChannelHandlerContext ctx) {
    while (!closing && !awaitingAuth && !awaitingReplies && pending != null && pending.isReadable()) {
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
      request = auth.decoder().next(nio);
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
      guard.requestInProgress(false);
      guard.pending(0); // a compare, unless the request spanned reads and was counted
    } else {
      guard.requestInProgress(auth.decoder().inProgress());
      String overLimit = guard.pending(auth.decoder().bufferedBytes());
      if (overLimit != null) {
        closeForLimit(ctx, overLimit, overLimit + "; closing the connection");
      }
    }
    return request;
  }

  /**
   * Closes a connection that passed one of its limits: with {@code reply} (an error message), the
   * replies before it and the error are sent first; without, the unsent replies are dropped.
   */
  private void closeForLimit(ChannelHandlerContext ctx, String why, String reply) {
    if (closing) {
      return;
    }
    closing = true;
    stats.closedForLimit();
    LOG.warn("client {}: {}; closing the connection", session.remote(), why);
    if (reply != null) {
      encode(ctx, Replies.error("ERR", reply));
      write(ctx, takeOut()).addListener(ChannelFutureListener.CLOSE);
    } else {
      if (out != null) {
        out.release();
        out = null;
      }
      ctx.close();
    }
  }

  private void execute(ChannelHandlerContext ctx, Request request) {
    if (auth.reserved() && !kv.resp.connection.ConnectionCommands.isAuthAttempt(request)) {
      refuseReserved(ctx, null);
      return;
    }
    long wait = auth.wait(request);
    if (wait == AuthThrottle.REFUSED) {
      closeForLimit(ctx, "too many failed authentications from its address, refused without checking",
          "too many failed authentications from " + auth.host() + " (expected: fewer wrong passwords; try"
              + " again in a few minutes); closing the connection");
    } else if (wait > 0) {
      awaitingAuth = true;
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> attemptAfterWait(ctx, request), wait, TimeUnit.NANOSECONDS);
    } else {
      run(ctx, request);
    }
  }

  /* The throttle's turn came: check the password, answer, and go on with what followed it. */
  private void attemptAfterWait(ChannelHandlerContext ctx, Request request) {
    awaitingAuth = false;
    if (closing || !ctx.channel().isActive()) {
      return;
    }
    run(ctx, request);
    drain(ctx);
    flushReplies(ctx);
    if (!paused && !closing && !awaitingAuth && !awaitingReplies) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void run(ChannelHandlerContext ctx, Request request) {
    long started = System.nanoTime();
    String command = request.command();
    stats.commandProcessed();
    session.executed(command);
    auth.before();
    if (strong != null) {
      runStrong(ctx, request, started);
      return;
    }
    Resp reply;
    try {
      reply = commands.execute(request, session);
    } catch (RuntimeException | StackOverflowError e) {
      reply = internalError(command, e);
    }
    auth.after();
    respond(ctx, request, reply, session.closeRequested(), session.client().replyWanted(), started);
  }

  /* Strong mode: the reply may come later; it is written after the replies before it. */
  private void runStrong(ChannelHandlerContext ctx, Request request, long started) {
    CompletableFuture<Resp> reply;
    try {
      reply = strong.execute(request, session);
    } catch (RuntimeException | StackOverflowError e) {
      reply = CompletableFuture.completedFuture(internalError(request.command(), e));
    }
    auth.after(); // connection commands (AUTH) run at once, here
    boolean close = session.closeRequested();
    boolean wanted = session.client().replyWanted();
    if (waiting.isEmpty() && reply.isDone()) {
      respond(ctx, request, reply.join(), close, wanted, started);
      return;
    }
    if (close) {
      closing = true; // nothing after QUIT runs; its reply closes the connection when its turn comes
    }
    waiting.add(new Waiting(request, reply, close, wanted, started));
    reply.whenComplete((r, e) -> ctx.executor().execute(() -> writeCompleted(ctx)));
    if (waiting.size() >= MAX_WAITING && !awaitingReplies) {
      awaitingReplies = true;
      ctx.channel().config().setAutoRead(false);
      LOG.debug("client {} has {} requests waiting for their groups; pausing its input", session.remote(),
          waiting.size());
    }
  }

  /* On the event loop: writes the strong-mode replies that are complete, in request order. */
  private void writeCompleted(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      waiting.clear();
      return;
    }
    while (!waiting.isEmpty() && waiting.peek().reply().isDone()) {
      Waiting w = waiting.poll();
      respond(ctx, w.request(), w.reply().join(), w.close(), w.wanted(), w.started());
      if (w.close() || !ctx.channel().isActive()) {
        waiting.clear();
        return;
      }
    }
    flushReplies(ctx);
    if (awaitingReplies && waiting.size() <= MAX_WAITING / 4) {
      awaitingReplies = false;
      if (!paused && !closing && !awaitingAuth) {
        drain(ctx);
        flushReplies(ctx);
        if (!paused && !closing && !awaitingAuth && !awaitingReplies) {
          ctx.channel().config().setAutoRead(true);
        }
      }
    }
  }

  private Resp internalError(String command, Throwable e) {
    LOG.error("client {}: internal error in {}", session.remote(), Replies.quote(command), e);
    return Replies.error("ERR", "internal error: " + e);
  }

  /*
   * Logs, counts, encodes and writes one reply; {@code close}: then the connection closes;
   * {@code started}: System.nanoTime() when the request began to run.
   */
  private void respond(ChannelHandlerContext ctx, Request request, Resp reply, boolean close, boolean wanted,
      long started) {
    metrics.request(request.command(), reply, System.nanoTime() - started);
    if (logRequests) {
      REQUESTS.info("{} {} {} -> {}", session.remote(), Replies.quote(request.command()), RequestLog.key(request),
          RequestLog.outcome(reply));
    }
    if (auth.reserved()) {
      // a reserve connection whose first request did not make it the cluster's: answered, then refused
      encode(ctx, reply);
      refuseReserved(ctx, reply);
      return;
    }
    if (wanted) {
      encode(ctx, reply);
      if (guard.replyOverLimit(out.readableBytes())) {
        closeForLimit(ctx, (guard.unsent() + out.readableBytes()) + " bytes of replies not read (expected: at most "
            + config.limits().maxReplyBytes() + ", see --max-reply-bytes)", null);
        return;
      }
    }
    if (close) {
      closing = true;
      (out == null ? ctx.writeAndFlush(Unpooled.EMPTY_BUFFER) : write(ctx, takeOut()))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (out != null && out.readableBytes() >= WRITE_CHUNK) {
      write(ctx, takeOut());
    }
  }

  /**
   * Closes a connection admitted into the cluster's reserve that did not authenticate as
   * cluster: the reply to its request (when it had one) is sent first, then the clients' error.
   */
  private void refuseReserved(ChannelHandlerContext ctx, Resp replySent) {
    if (closing || !auth.reserved()) {
      return;
    }
    closing = true;
    LOG.warn("client {} refused: {} and it did not authenticate as cluster{}", session.remote(), MAX_CLIENTS,
        replySent == null ? "" : " (" + RequestLog.outcome(replySent) + ")");
    encode(ctx, Replies.error("ERR", MAX_CLIENTS));
    write(ctx, takeOut()).addListener(ChannelFutureListener.CLOSE);
  }

  /** Writes and flushes {@code buf}, counting its bytes as unread until the socket took them. */
  private ChannelFuture write(ChannelHandlerContext ctx, ByteBuf buf) {
    int n = buf.readableBytes();
    guard.writing(n);
    return ctx.writeAndFlush(buf).addListener(f -> guard.written(n));
  }

  private void protocolError(ChannelHandlerContext ctx, String message) {
    closing = true;
    metrics.protocolError();
    LOG.info("client {}: protocol error: {}; closing the connection", session.remote(), message);
    encode(ctx, Replies.error("ERR", "Protocol error: " + message));
    write(ctx, takeOut()).addListener(ChannelFutureListener.CLOSE);
  }

  private void encode(ChannelHandlerContext ctx, Resp reply) {
    if (out == null) {
      out = ctx.alloc().ioBuffer(256);
    }
    RespEncoder.encode(reply, session.client().protocol(), new ByteBufOutputStream(out));
  }

  private ByteBuf takeOut() {
    ByteBuf b = out;
    out = null;
    return b;
  }

  private void flushReplies(ChannelHandlerContext ctx) {
    if (out != null && out.isReadable()) {
      write(ctx, takeOut());
    }
  }

  private void pause(ChannelHandlerContext ctx) {
    paused = true;
    guard.paused(true);
    ctx.channel().config().setAutoRead(false);
    LOG.debug("client {} is not reading its replies; pausing its input", session.remote());
  }

  private void release() {
    guard.release();
    if (auth != null) {
      auth.release();
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
    if (out != null) {
      out.release();
      out = null;
    }
  }

  private String who(ChannelHandlerContext ctx) {
    return session == null ? format(ctx.channel().remoteAddress()) : session.remote();
  }

  private static java.net.InetAddress remoteInet(ChannelHandlerContext ctx) {
    SocketAddress a = ctx.channel().remoteAddress();
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    return java.net.InetAddress.getLoopbackAddress();
  }

  static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
