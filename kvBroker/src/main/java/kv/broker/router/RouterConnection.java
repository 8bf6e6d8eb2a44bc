package kv.broker.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.command.CommandParser;
import kv.resp.Protocol;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.resp.connection.ClientState;
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
   */
  private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);
  /** Outstanding replies per connection before the router stops decoding its requests. */
  static final int MAX_PENDING = 1024;
  /** Bytes of RESP framing a request may carry on top of its largest argument. */
  static final int FRAMING_SLACK = 64 * 1024;

  private final RouterCommands commands;
  private final RouterClients clients;
  private final KeyOrder order = new KeyOrder();
  private final RequestDecoder decoder;
  /**
   * Largest request, all arguments and framing together (as kvServer's --max-request-bytes):
   * each argument is checked by the decoder, their sum here, so many arguments cannot add up to
   * more memory than one large one.
   */
  private final long maxRequestBytes;
  /** Bytes of the request being decoded, counted over however many reads it arrives in. */
  private long requestBytes;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
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

  /**
   * A reply in request order, with the protocol to encode it in and whether the client wants it
   * (CLIENT REPLY); {@code resp} is null until its future completes (or times out).
   */
  private static final class Slot {
    Resp resp;
    final Protocol protocol;
    final boolean send;
    final boolean close;
    final long startNanos;
    KeyOrder.Ticket ticket;

    Slot(Protocol protocol, boolean send, boolean close, long startNanos) {
      this.protocol = protocol;
      this.send = send;
      this.close = close;
      this.startNanos = startNanos;
    }
  }

  RouterConnection(RouterCommands commands, RespLimits limits) {
    this.commands = commands;
    this.clients = commands.clients();
    // As kvServer: an inline PUT or QUERY keeps the rest of its line as typed (a record is not
    // split into words; a quoted path segment keeps its quotes).
    this.decoder = new RequestDecoder(limits, CommandParser.RAW_LINE_COMMANDS);
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
    Slot slot = new Slot(session.client().protocol(), true, true, System.nanoTime());
    slot.resp = new Resp.Error("ERR Protocol error: " + message);
    slots.add(slot);
    closing = true;
    release();
  }

  private boolean mayDecode() {
    return slots.size() < MAX_PENDING && ctx.channel().isWritable();
  }

  private void submit(Request request) {
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
    Slot slot = new Slot(client.protocol(), client.replyWanted(), client.closeRequested(), System.nanoTime());
    slots.add(slot);
    if (slot.close) {
      closing = true;
    }
    if (step instanceof RouterCommands.Step.Now now) {
      slot.resp = now.resp();
    } else {
      RouterCommands.Step.Later later = (RouterCommands.Step.Later) step;
      slot.ticket = order.admit(later.keys(), later.mode(), ticket -> start(slot, ticket, later));
    }
  }

  /** Starts a command on the engine; its reply fills its slot and frees its keys for the next ones. */
  private void start(Slot slot, KeyOrder.Ticket ticket, RouterCommands.Step.Later later) {
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
        fill(slot, filled);
        order.done(ticket);
        pumpSoon();
      } else {
        ctx.executor().execute(() -> {
          fill(slot, filled);
          order.done(ticket);
          pump();
        });
      }
    });
  }

  /** Fills the slot unless it timed out meanwhile (then the late reply is dropped). */
  private static void fill(Slot slot, Resp resp) {
    if (slot.resp == null) {
      slot.resp = resp;
    }
  }

  /**
   * Answers {@link RouterCommands#noAnswer} in place of every reply older than the answer timeout
   * (one clock per connection rather than a timer per request), so a lost answer cannot stall the
   * pipeline; a reply that comes later is dropped.
   */
  private void expire() {
    long now = System.nanoTime();
    long timeout = commands.answerTimeout().toNanos();
    boolean expired = false;
    for (Slot slot : slots) {
      if (now - slot.startNanos < timeout) {
        break; // the rest are younger
      }
      if (slot.resp == null) {
        slot.resp = commands.noAnswer();
        expired = true;
        if (slot.ticket != null) {
          order.abandon(slot.ticket);
        }
      }
    }
    if (expired) {
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

  /** Writes every completed reply at the head of the queue in one buffer, then flushes once. */
  private void drain() {
    if (!ctx.channel().isActive()) {
      return;
    }
    ByteBuf out = null;
    while (!slots.isEmpty() && slots.peek().resp != null) {
      Slot slot = slots.poll();
      if (out == null) {
        out = ctx.alloc().buffer();
      }
      if (slot.send) {
        RespEncoder.encode(slot.resp, slot.protocol, new ByteBufOutputStream(out));
      }
      if (slot.close) {
        slots.clear();
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    if (out != null) {
      ctx.writeAndFlush(out);
    }
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
