package kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.resp.connection.ClientState;
import kv.security.AuthThrottle;
import kv.security.Users;
import kv.security.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection, the Netty side: admits it, takes the complete requests from the
 * bytes received ({@link RequestReader}), has them run in order ({@link RequestRunner}) and their
 * replies written ({@link Responder}, flushed once per read: pipelined requests are answered with
 * few system calls), and stops and resumes reading. Before AUTH only small requests are taken, and
 * a password attempt from an address with recent failures waits its turn ({@link ConnectionAuth})
 * without holding the thread. One instance per channel, used only on that channel's event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  /*
   * Flow control: reading stops (autoRead off, the undecoded input kept) while any of these holds,
   * and resumes when none does: paused, the client does not read its replies (checked before each
   * request: Netty's outbound buffer passed its high-water mark; resumed by
   * channelWritabilityChanged), so one slow client stalls nobody and memory stays bounded;
   * awaitingAuth, a password attempt waits its turn (ConnectionAuth's throttle; it is scheduled on
   * this event loop, then the connection goes on with what it had sent after it); runner.full(),
   * strong mode's replies waiting for their groups reached StrongReplies.MAX_WAITING (until a
   * quarter remain); out.closing(), for good. ConnectionGuard keeps the connection within its
   * limits and timeouts.
   */
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);

  private final ServerStats stats;
  private final ServerConfig config;
  private final RequestDecoder fullDecoder;
  private final ConnectionGuard guard;
  private final RequestReader reader;
  private final Responder out;
  private final RequestRunner runner;
  private final Users users;
  private final AuthThrottle throttle;
  private Session session;
  private ConnectionAuth auth;
  private boolean admitted;
  private boolean awaitingAuth;
  private boolean paused;

  ConnectionHandler(CommandTable commands, StrongCommands strong, ServerStats stats, ServerMetrics metrics,
      ServerConfig config, AuthThrottle throttle) {
    this.stats = stats;
    this.config = config;
    RequestRecorder recorder = new RequestRecorder(metrics, config);
    int max = config.maxRequestBytes();
    this.fullDecoder = new RequestDecoder(new RespLimits(max, max, RespLimits.DEFAULT.maxArrayLength()),
        DataCommands.RAW_LINE_COMMANDS);
    this.guard = new ConnectionGuard(config.limits(), stats);
    this.reader = new RequestReader(max, guard);
    this.out = new Responder(guard, stats, config.limits(), recorder);
    this.runner = new RequestRunner(commands, strong, stats, recorder, out, this::repliesDrained);
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
      out.refuseAdmission(ctx, session);
      return;
    }
    admitted = true;
    auth = new ConnectionAuth(session, remoteInet(ctx), config, stats, throttle, fullDecoder);
    out.admitted(session, auth);
    runner.admitted(session, auth);
    if (slot == ServerStats.Slot.RESERVE) {
      LOG.info("client {} connected (id {}) into the cluster's reserve: the clients' slots are full, so it must"
          + " authenticate as cluster first", session.remote(), session.id());
      auth.reserve(ctx.executor().schedule(() -> out.refuseReserved(ctx, null),
          ServerStats.RESERVE_DEADLINE_SECONDS, TimeUnit.SECONDS));
    } else {
      LOG.info("client {} connected (id {})", session.remote(), session.id());
    }
    guard.start(ctx, (why, reply) -> out.closeForLimit(ctx, why, reply));
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
      if (out.closing()) {
        return;
      }
      String why = TlsContexts.refusal(done.cause());
      LOG.info("client {}: {}; closing the connection", who(ctx),
          why != null ? why : "TLS handshake failed: " + TlsContexts.describe(done.cause()));
      out.markClosing();
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (out.closing()) {
      in.release();
      return;
    }
    guard.active();
    reader.add(ctx.alloc(), in);
    if (!paused) {
      drain(ctx);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    out.flush(ctx);
    if (!out.closing() && !paused && !ctx.channel().isWritable()) {
      pause(ctx);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && paused && !out.closing()) {
      paused = false;
      guard.paused(false);
      drain(ctx);
      out.flush(ctx);
      if (mayRead()) {
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
      if (!out.closing()) { // usually the handshake's failure event said it already
        LOG.info("client {}: {}; closing the connection", who, tls);
      }
    } else if (cause instanceof IOException) {
      LOG.debug("client {}: {}", who, cause.toString());
    } else {
      LOG.warn("client {}: unexpected error, closing the connection", who, cause);
    }
    out.markClosing();
    ctx.close();
  }

  /** Whether nothing stops reading from the client (see the flow control above). */
  private boolean mayRead() {
    return !paused && !out.closing() && !awaitingAuth && !runner.full();
  }

  /** Executes every complete request received until they run out or the client lags. */
  private void drain(ChannelHandlerContext ctx) {
    while (!out.closing() && !awaitingAuth && !runner.full() && reader.hasInput()) {
      if (!ctx.channel().isWritable()) {
        pause(ctx);
        break;
      }
      Request request;
      try {
        request = reader.next(auth.decoder());
      } catch (RespProtocolException e) {
        out.protocolError(ctx, e.getMessage());
        break;
      } catch (RequestReader.OverLimit e) {
        out.closeForLimit(ctx, e.getMessage(), e.getMessage() + "; closing the connection");
        break;
      }
      if (request == null) {
        break;
      }
      if (!request.args().isEmpty()) {
        execute(ctx, request);
      }
    }
    reader.releaseIfEmpty();
  }

  /* Runs a request now, or once a password attempt's turn came (ConnectionAuth's throttle). */
  private void execute(ChannelHandlerContext ctx, Request request) {
    if (auth.reserved() && !kv.resp.connection.ConnectionCommands.isAuthAttempt(request)) {
      out.refuseReserved(ctx, null);
      return;
    }
    long wait = auth.wait(request);
    if (wait == AuthThrottle.REFUSED) {
      out.closeForLimit(ctx, "too many failed authentications from its address, refused without checking",
          "too many failed authentications from " + auth.host() + " (expected: fewer wrong passwords; try"
              + " again in a few minutes); closing the connection");
    } else if (wait > 0) {
      awaitingAuth = true;
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> attemptAfterWait(ctx, request), wait, TimeUnit.NANOSECONDS);
    } else {
      runner.run(ctx, request);
    }
  }

  /* The throttle's turn came: check the password, answer, and go on with what followed it. */
  private void attemptAfterWait(ChannelHandlerContext ctx, Request request) {
    awaitingAuth = false;
    if (out.closing() || !ctx.channel().isActive()) {
      return;
    }
    runner.run(ctx, request);
    drain(ctx);
    out.flush(ctx);
    if (mayRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /* Strong mode's waiting replies are down to a quarter: go on with the input, unless something else holds it. */
  private void repliesDrained(ChannelHandlerContext ctx) {
    if (!paused && !out.closing() && !awaitingAuth) {
      drain(ctx);
      out.flush(ctx);
      if (mayRead()) {
        ctx.channel().config().setAutoRead(true);
      }
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
    reader.release();
    out.release();
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
