package kv.broker.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.command.CommandParser;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.Resp;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.resp.connection.ClientState;
import kv.resp.connection.ConnectionCommands;
import kv.security.AuthThrottle;
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
   * are decoded with small limits (10 arguments of 16 KiB); a password attempt (AUTH, HELLO ...
   * AUTH) asks the port's AuthThrottle for its turn and, while it waits, nothing after it is
   * decoded, so no later request can run before it; a wrong password is logged with the address.
   */
  private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);
  /** Outstanding replies per connection before the router stops decoding its requests. */
  static final int MAX_PENDING = 1024;
  /** Bytes of RESP framing a request may carry on top of its largest argument. */
  static final int FRAMING_SLACK = 64 * 1024;
  /** Before AUTH on a port with a password: Redis's limits for unauthenticated clients (as kvServer's). */
  static final int PRE_AUTH_BYTES = 16 * 1024;
  static final int PRE_AUTH_ARGS = 10;

  private final RouterCommands commands;
  private final RouterClients clients;
  private final KeyOrder order = new KeyOrder();
  private final RequestDecoder fullDecoder;
  private RequestDecoder decoder;
  private InetAddress remote;
  /** A password attempt waits for its turn: decode nothing until it has run. */
  private boolean awaitingAuth;
  /**
   * Largest request, all arguments and framing together (as kvServer's --max-request-bytes):
   * each argument is checked by the decoder, their sum here, so many arguments cannot add up to
   * more memory than one large one.
   */
  private final long maxRequestBytes;
  /** Bytes of the request being decoded, counted over however many reads it arrives in. */
  private long requestBytes;
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
    // As kvServer: an inline PUT or QUERY keeps the rest of its line as typed (a record is not
    // split into words; a quoted path segment keeps its quotes).
    this.fullDecoder = new RequestDecoder(limits, CommandParser.RAW_LINE_COMMANDS);
    this.decoder = fullDecoder;
    this.maxRequestBytes = (long) limits.maxBulkBytes() + FRAMING_SLACK;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    long period = Math.max(10_000_000L, Math.min(500_000_000L, commands.answerTimeout().toNanos() / 8));
    expiry = ctx.executor().scheduleWithFixedDelay(this::expire, period, period, TimeUnit.NANOSECONDS);
    ClientState client = clients.open(address(ctx.channel().remoteAddress()), address(ctx.channel().localAddress()));
    client.onKill(() -> {
      log.info("client {} killed by CLIENT KILL", client.address());
      ctx.channel().close();
    });
    session = new RouterSession(client);
    remote = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress()
        : InetAddress.getLoopbackAddress();
    decoder = client.authenticated() ? fullDecoder : preAuthDecoder();
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
        request = decoder.next(in);
      } catch (RespProtocolException e) {
        refuse(e.getMessage());
        break;
      }
      input.skipBytes(in.position());
      requestBytes += in.position();
      if (requestBytes > maxRequestBytes) {
        refuse("request: more than " + maxRequestBytes + " bytes (expected: at most "
            + (maxRequestBytes - FRAMING_SLACK) + " bytes of arguments)");
        break;
      }
      if (request == null) {
        break;
      }
      requestBytes = 0;
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
    return !awaitingAuth && slots.size() < MAX_PENDING && ctx.channel().isWritable();
  }

  /** Runs {@code request} now, or once the throttle gives a password attempt its turn. */
  private void submit(Request request) {
    if (!ConnectionCommands.isAuthAttempt(request)) {
      run(request);
      return;
    }
    long wait = commands.throttle().admit(remote);
    if (wait == AuthThrottle.REFUSED) {
      log.warn("client {}: too many failed authentications from its address, refused without checking; closing"
          + " the connection", session.client().address());
      refuse(new Resp.Error("ERR too many failed authentications from " + remote.getHostAddress()
          + " (expected: fewer wrong passwords; try again in a few minutes); closing the connection"));
    } else if (wait > 0) {
      awaitingAuth = true;
      ctx.executor().schedule(() -> {
        awaitingAuth = false;
        if (!closing && ctx.channel().isActive()) {
          run(request);
          pump();
        }
      }, wait, TimeUnit.NANOSECONDS);
    } else {
      run(request);
    }
  }

  /** Runs a request; a password attempt's failure is counted and logged, a change of user swaps the decoder. */
  private void run(Request request) {
    ClientState client = session.client();
    long failuresBefore = client.authFailures();
    String userBefore = client.user();
    runNow(request);
    if (client.authFailures() != failuresBefore) {
      int recent = commands.throttle().failed(remote);
      log.warn("client {}: wrong password for user '{}' ({} failed authentications from {} recently)",
          client.address(), oneLine(client.lastFailedUser()), recent, remote.getHostAddress());
    }
    if (!java.util.Objects.equals(client.user(), userBefore) || client.authenticated() != (decoder == fullDecoder)) {
      decoder = client.authenticated() ? fullDecoder : preAuthDecoder();
    }
  }

  private RequestDecoder preAuthDecoder() {
    return new RequestDecoder(new RespLimits(PRE_AUTH_BYTES, PRE_AUTH_BYTES, PRE_AUTH_ARGS),
        CommandParser.RAW_LINE_COMMANDS);
  }

  /** Client-sent text for a log line: one line, at most 100 characters. */
  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String s = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return s.replaceAll("[\\p{Cntrl}]", "?");
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

  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  private void release() {
    if (input != null) {
      input.release();
      input = null;
    }
  }
}
