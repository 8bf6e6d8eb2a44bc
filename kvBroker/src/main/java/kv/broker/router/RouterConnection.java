package kv.broker.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.resp.connection.ClientState;
import kv.resp.connection.ConnectionCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the router: decodes requests, asks {@link RouterCommands} for each
 * reply, starts the commands on the engine in the connection's order per key ({@link KeyOrder}),
 * and writes the replies in request order, each in the protocol the client had asked for when it
 * sent the request (RESP2, or RESP3 after {@code HELLO 3}), although they complete out of order.
 * All state is confined to the channel's event loop; completions from other threads hop onto it.
 */
final class RouterConnection extends ChannelInboundHandlerAdapter {
  /*
   * Order: every request gets a slot in a FIFO at the moment it is decoded; a reply fills its
   * slot when its future completes, and drain() writes the filled slots at the head, encoded into
   * one buffer and flushed once. Memory: decoding stops (input kept, autoRead off) while
   * MAX_PENDING replies are outstanding or Netty's outbound buffer is above its high-water
   * mark, and resumes when replies drain; so a client that pipelines without reading holds at
   * most MAX_PENDING requests in the cluster and one high-water mark of replies.
   *
   * Effects: a command on the engine starts only once the connection's earlier commands on its
   * keys have completed (KeyOrder), so a pipelined DEL k; PUT k gives the PUT a newer version
   * than the DEL's tombstone, as a Redis client expects of one connection. Commands on other keys
   * still run concurrently, so a pipeline of distinct keys keeps its throughput.
   *
   * The connection's state for the connection commands (ClientState: protocol, name, reply mode)
   * is read when a request is decoded, so a reply goes out in the protocol and reply mode in
   * force when it was sent, wherever it completes.
   *
   * Passwords (as kvServer's ConnectionHandler): until the client is authenticated its requests
   * are decoded with small limits (RequestReader); a password attempt asks for its turn (AuthGate)
   * and, while it waits, nothing after it is decoded, so no later request can run before it.
   */
  private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);
  /** Outstanding replies per connection before the router stops decoding its requests. */
  static final int MAX_PENDING = 1024;

  private final RouterCommands commands;
  private final RouterClients clients;
  private final KeyOrder order = new KeyOrder();
  private final RequestReader reader;
  private AuthGate auth;
  private final ReplySlots slots = new ReplySlots();
  private ChannelHandlerContext ctx;
  private RouterSession session;
  private ByteBuf input;
  private boolean closing;
  private boolean pumpScheduled;
  private ScheduledFuture<?> expiry;
  private final Runnable pumpTask = () -> {
    pumpScheduled = false;
    pump();
  };

  RouterConnection(RouterCommands commands, RespLimits limits) {
    this.commands = commands;
    this.clients = commands.clients();
    this.reader = new RequestReader(limits);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    long period = Math.max(10_000_000L, Math.min(500_000_000L, commands.answerTimeout().toNanos() / 8));
    expiry = ctx.executor().scheduleWithFixedDelay(this::expire, period, period, TimeUnit.NANOSECONDS);
    ClientState client = clients.open(ctx.channel().remoteAddress(), ctx.channel().localAddress());
    client.onKill(() -> {
      log.info("client {} killed by CLIENT KILL", client.address());
      ctx.channel().close();
    });
    session = new RouterSession(client);
    auth = new AuthGate(commands.throttle(), ctx.channel().remoteAddress());
    reader.open(client.authenticated());
    log.debug("client {} connected (id {})", client.address(), client.id());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (expiry != null) {
      expiry.cancel(false);
    }
    if (session != null) {
      clients.closed(session.client());
    }
    closing = true;
    slots.clear();
    release();
    log.debug("client {} disconnected", ctx.channel().remoteAddress());
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    if (closing) {
      buf.release();
      return;
    }
    session.client().active(System.currentTimeMillis());
    input = input == null ? buf : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, buf);
    decode();
    drain();
  }

  /** Decodes and submits requests while the backlog allows; keeps the rest of the input. */
  private void decode() {
    while (!closing && input != null && input.isReadable() && mayDecode()) {
      ByteBuffer in = input.nioBuffer(input.readerIndex(), input.readableBytes());
      Request request;
      try {
        request = reader.next(in);
      } catch (RespProtocolException e) {
        refuse(e.getMessage());
        break;
      }
      input.skipBytes(in.position());
      if (request == null) {
        break;
      }
      if (!request.args().isEmpty()) {
        clients.command();
        submit(request);
      }
    }
    if (input != null && !input.isReadable()) {
      release();
    }
    boolean read = !closing && mayDecode();
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  /** A framing error: its reply goes out after the replies before it, then the connection closes. */
  private void refuse(String message) {
    log.debug("client {}: protocol error: {}", ctx.channel().remoteAddress(), message);
    refuse(new Resp.Error("ERR Protocol error: " + message));
  }

  /** Answers {@code error} after the replies before it, then closes the connection. */
  private void refuse(Resp.Error error) {
    slots.add(session.client().protocol(), true, true).fill(error);
    closing = true;
    release();
  }

  private boolean mayDecode() {
    return !auth.waiting() && slots.size() < MAX_PENDING && ctx.channel().isWritable();
  }

  /** Runs {@code request} now, or once the throttle gives a password attempt its turn. */
  private void submit(Request request) {
    if (!ConnectionCommands.isAuthAttempt(request)) {
      run(request);
      return;
    }
    auth.attempt(session.client(), ctx.executor(), () -> run(request), () -> {
      if (!closing && ctx.channel().isActive()) {
        run(request);
        pump();
      }
    }, this::refuse);
  }

  /** Runs a request; a password attempt's failure is counted and logged, a change of user changes the limits. */
  private void run(Request request) {
    ClientState client = session.client();
    long failuresBefore = client.authFailures();
    String userBefore = client.user();
    runNow(request);
    auth.ran(client, failuresBefore);
    reader.afterCommand(!Objects.equals(client.user(), userBefore), client.authenticated());
  }

  private void runNow(Request request) {
    ClientState client = session.client();
    client.beginCommand(request.command());
    RouterCommands.Step step;
    try {
      step = commands.handle(request, session);
    } catch (RuntimeException e) {
      // A bug must not break the order of replies: answer an error in the request's place.
      log.warn("request {} failed", request.command(), e);
      step = new RouterCommands.Step.Now(new Resp.Error("ERR internal error: " + e));
    }
    ReplySlots.Slot slot = slots.add(client.protocol(), client.replyWanted(), client.closeRequested());
    if (slot.close) {
      closing = true;
    }
    if (step instanceof RouterCommands.Step.Now now) {
      slot.fill(now.resp());
    } else {
      RouterCommands.Step.Later later = (RouterCommands.Step.Later) step;
      slot.ticket = order.admit(later.keys(), later.mode(), ticket -> start(slot, ticket, later));
    }
  }

  /** Starts a command on the engine; its reply fills its slot and frees its keys for the next ones. */
  private void start(ReplySlots.Slot slot, KeyOrder.Ticket ticket, RouterCommands.Step.Later later) {
    CompletableFuture<Resp> reply;
    try {
      reply = later.run().get();
    } catch (RuntimeException e) {
      log.warn("command failed to start", e);
      reply = CompletableFuture.completedFuture(new Resp.Error("ERR internal error: " + e));
    }
    reply.whenComplete((resp, error) -> {
      Resp filled = resp != null ? resp : new Resp.Error("ERR internal error: " + error);
      if (ctx.executor().inEventLoop()) {
        // The usual case: the server connection's lane shares this loop, so no hand-over.
        slot.fill(filled);
        order.done(ticket);
        pumpSoon();
      } else {
        ctx.executor().execute(() -> {
          slot.fill(filled);
          order.done(ticket);
          pump();
        });
      }
    });
  }

  /**
   * Answers {@link RouterCommands#noAnswer} in place of every reply older than the answer timeout
   * (one clock per connection rather than a timer per request), so a lost answer cannot stall the
   * pipeline; a reply that comes later is dropped.
   */
  private void expire() {
    if (slots.expire(commands.answerTimeout().toNanos(), commands.noAnswer(), order)) {
      pump();
    }
  }

  /**
   * Pumps once the current read or task is over (never from inside decode), so the replies that
   * one read of a server's socket completes go out in one write and one flush.
   */
  private void pumpSoon() {
    if (!pumpScheduled) {
      pumpScheduled = true;
      ctx.executor().execute(pumpTask);
    }
  }

  /** Writes what is ready, decodes what the freed slots allow, writes what that answered at once. */
  private void pump() {
    drain();
    decode();
    drain();
  }

  private void drain() {
    slots.drain(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      pump();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", ctx.channel().remoteAddress(), cause.toString());
    closing = true;
    ctx.close();
  }

  private void release() {
    if (input != null) {
      input.release();
      input = null;
    }
  }
}
