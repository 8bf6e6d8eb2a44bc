package kv.broker.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP client connection: hands each request to the {@link HttpApi} (a write once the requests
 * before it are answered) and writes the answers in request order although they complete out of
 * order (pipelining); keeps the connection alive unless the client or an error closes it. All
 * state is confined to the channel's event loop; completions from other threads hop onto it.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
  /*
   * As the router's connection: each request takes a slot in a FIFO when it arrives; its answer
   * fills the slot when its future completes, and drain() writes the filled slots at the head and
   * flushes once. Reading stops (autoRead off) while MAX_PENDING answers are outstanding or the
   * outbound buffer is above its high-water mark, so a client that pipelines without reading holds
   * a bounded number of requests in the cluster. An answer older than the API's answer timeout is
   * replaced by a 503 (one clock per connection), so a lost answer cannot stall the pipeline.
   * Writes are barriers within a connection (start()): what a client pipelines takes effect in its
   * order, as if each request had waited for the answer before it. A request with "Connection:
   * close", a 413 that cannot keep the connection and a request Netty could not decode are the
   * last ones read: the connection closes after their answers.
   */
  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
  /** Outstanding answers per connection before reading stops. */
  static final int MAX_PENDING = 256;

  private final HttpApi api;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  /** The answer of the connection's last write (POST, DELETE), and the reads started since. */
  private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
  private final List<CompletableFuture<HttpReply>> readsSinceWrite = new ArrayList<>();
  private ChannelHandlerContext ctx;
  private boolean closing;
  private boolean drainScheduled;
  private ScheduledFuture<?> expiry;
  private final Runnable drainTask = () -> {
    drainScheduled = false;
    drain();
  };

  /** One request's place in the order; {@code reply} is null until its answer comes (or times out). */
  private static final class Slot {
    final HttpVersion version;
    final boolean keepAlive;
    final HttpCall call;
    final long startNanos;
    HttpReply reply;

    Slot(HttpVersion version, boolean keepAlive, HttpCall call) {
      this.version = version;
      this.keepAlive = keepAlive;
      this.call = call;
      this.startNanos = System.nanoTime();
    }
  }

  HttpConnection(HttpApi api) {
    this.api = api;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    long period = Math.max(10_000_000L, Math.min(500_000_000L, api.answerTimeout().toNanos() / 8));
    expiry = ctx.executor().scheduleWithFixedDelay(this::expire, period, period, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (expiry != null) {
      expiry.cancel(false);
    }
    closing = true;
    slots.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (closing) {
        return;
      }
      if (msg instanceof BodyLimit.TooLarge t) {
        Slot slot = new Slot(t.version(), t.keepAlive(), null);
        slot.reply = HttpReply.text(413, "body: " + (t.declaredLength() >= 0 ? t.declaredLength() + " bytes"
            : "more than " + t.limit() + " bytes") + " (expected: at most " + t.limit() + " bytes)");
        add(slot);
      } else if (msg instanceof FullHttpRequest request) {
        accept(request);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void accept(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Slot slot = new Slot(HttpVersion.HTTP_1_1, false, null);
      Throwable cause = request.decoderResult().cause();
      slot.reply = HttpReply.text(400, "malformed HTTP request: " + (cause == null ? "unknown" : cause.getMessage()));
      add(slot);
      return;
    }
    HttpCall call = new HttpCall(request.method().name(), request.uri(),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.ACCEPT),
        ByteBufUtil.getBytes(request.content()));
    Slot slot = new Slot(request.protocolVersion(), HttpUtil.isKeepAlive(request), call);
    add(slot);
    CompletableFuture<HttpReply> verdict = api.auth() == null ? null
        : api.auth().check(request.headers().get(HttpHeaderNames.AUTHORIZATION), remoteAddress(),
            String.valueOf(ctx.channel().remoteAddress()), ctx.executor());
    start(call, verdict).whenComplete((reply, error) -> {
      HttpReply answer = reply != null ? reply : OutcomeReplies.error(error);
      if (ctx.executor().inEventLoop()) {
        fill(slot, answer);
        drainSoon();
      } else {
        ctx.executor().execute(() -> {
          fill(slot, answer);
          drain();
        });
      }
    });
  }

  /**
   * Starts {@code call} once what it must follow has been answered: a read waits for the
   * connection's last write, a write for every earlier request (so a pipelined PUT then GET reads
   * what was put, and reads between writes run at once).
   */
  private CompletableFuture<HttpReply> start(HttpCall call, CompletableFuture<HttpReply> verdict) {
    readsSinceWrite.removeIf(CompletableFuture::isDone);
    CompletableFuture<?> before = call.writes() && !readsSinceWrite.isEmpty()
        ? CompletableFuture.allOf(lastWrite, CompletableFuture.allOf(readsSinceWrite.toArray(new CompletableFuture<?>[0])))
        : lastWrite;
    // With a password, the call runs only once its verdict (null: allowed) came; order is kept as without.
    CompletableFuture<?> ready = verdict == null ? before : CompletableFuture.allOf(before.handle((d, e) -> null), verdict);
    CompletableFuture<HttpReply> reply = ready.isDone() && verdict == null ? api.handle(call)
        : ready.handle((done, error) -> null).thenCompose(ignored -> {
          HttpReply denied = verdict == null ? null : verdict.join();
          return denied != null ? CompletableFuture.completedFuture(denied) : api.handle(call);
        });
    if (call.writes()) {
      lastWrite = reply;
      readsSinceWrite.clear();
    } else if (!reply.isDone()) {
      readsSinceWrite.add(reply);
    }
    return reply;
  }

  private java.net.InetAddress remoteAddress() {
    return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet ? inet.getAddress()
        : java.net.InetAddress.getLoopbackAddress();
  }

  private void add(Slot slot) {
    slots.add(slot);
    if (!slot.keepAlive) {
      closing = true; // nothing after it is answered
    }
    updateAutoRead();
  }

  private void updateAutoRead() {
    boolean read = !closing && slots.size() < MAX_PENDING && ctx.channel().isWritable();
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  /** Fills the slot unless it timed out meanwhile (then the late answer is dropped). */
  private static void fill(Slot slot, HttpReply reply) {
    if (slot.reply == null) {
      slot.reply = reply;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    drain();
  }

  /** Drains once the current read or task is over, so answers completed together go out in one flush. */
  private void drainSoon() {
    if (!drainScheduled) {
      drainScheduled = true;
      ctx.executor().execute(drainTask);
    }
  }

  /** Writes every answered slot at the head of the queue, then flushes once (and closes after a last one). */
  private void drain() {
    if (!ctx.channel().isActive()) {
      return;
    }
    boolean wrote = false;
    while (!slots.isEmpty() && slots.peek().reply != null) {
      Slot slot = slots.poll();
      if (!slot.keepAlive) {
        slots.clear();
        ctx.writeAndFlush(response(slot)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.write(response(slot));
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    updateAutoRead();
  }

  private static FullHttpResponse response(Slot slot) {
    HttpReply reply = slot.reply;
    FullHttpResponse response = new DefaultFullHttpResponse(slot.version, HttpResponseStatus.valueOf(reply.status()),
        Unpooled.wrappedBuffer(reply.body()));
    if (reply.contentType() != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    }
    if (reply.status() != 204) {
      HttpUtil.setContentLength(response, reply.body().length);
    }
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      response.headers().set(header.getKey(), header.getValue());
    }
    HttpUtil.setKeepAlive(response, slot.keepAlive);
    return response;
  }

  /** Answers 503 in place of every answer older than the answer timeout. */
  private void expire() {
    long now = System.nanoTime();
    long timeout = api.answerTimeout().toNanos();
    boolean expired = false;
    for (Slot slot : slots) {
      if (now - slot.startNanos < timeout) {
        break; // the rest are younger
      }
      if (slot.reply == null) {
        slot.reply = api.noAnswer(slot.call);
        expired = true;
      }
    }
    if (expired) {
      drain();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * A request the codec could not make sense of (e.g. an empty Content-Length) is answered 400
   * after the answers before it, and the connection closes; any other failure closes it once the
   * answers already made are written; after a last request (Connection: close, HTTP/1.0) the
   * failure is ignored and that request's answer still closes the connection (both found by
   * HttpFuzzTest: such answers were dropped).
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP client {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (closing) {
      return; // the last answer is on its way and closes the connection (or it is closed already)
    }
    if (cause instanceof DecoderException) {
      Slot slot = new Slot(HttpVersion.HTTP_1_1, false, null);
      Throwable root = cause.getCause() != null ? cause.getCause() : cause;
      slot.reply = HttpReply.text(400, "malformed HTTP request: " + (root.getMessage() == null
          ? root.getClass().getSimpleName() : root.getMessage()) + " (expected: an HTTP/1.1 request, RFC 9112)");
      add(slot); // the last answer: drain closes the connection after it
      drain();
      return;
    }
    closing = true;
    drain();
    ctx.close();
  }
}
