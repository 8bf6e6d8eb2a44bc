package kv.broker.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLParameters;
import kv.broker.config.ServerLogin;
import kv.broker.transport.AuthRefusedException;
import kv.broker.transport.Connection;
import kv.broker.transport.Connector;
import kv.broker.transport.TransportException;
import kv.cluster.ServerAddress;
import kv.net.NettyTransport;
import kv.resp.Resp;
import kv.security.TlsContexts;

/**
 * Opens Netty client connections to kvServers, one channel per event loop of the broker's
 * {@link IoThreads} (see {@link NettyConnection}), which the router's clients share, so a
 * client's requests and their replies stay on one thread. With a TLS context each channel
 * shakes hands first; with a {@link ServerLogin}, each channel sends {@code AUTH} first and
 * counts as connected only once the server accepted it.
 * Thread-safe.
 */
public final class NettyConnector implements Connector {
  private final EventLoopGroup group;
  private final NettyTransport transport;
  private final LongSupplier nanoTime;
  private final ServerLogin login;
  private final SslContext tls;

  /** @param nanoTime the clock of the connections' silence ({@code System::nanoTime}; tests drive their own) */
  public NettyConnector(IoThreads io, LongSupplier nanoTime) {
    this(io, nanoTime, null);
  }

  /** As above, authenticating every channel with {@code login} (null: no AUTH). */
  public NettyConnector(IoThreads io, LongSupplier nanoTime, ServerLogin login) {
    this(io, nanoTime, login, null);
  }

  /**
   * As above, over TLS with {@code tls} (a client context; null: plain TCP): a channel counts as
   * connected once its handshake verified the server's certificate and host name.
   */
  public NettyConnector(IoThreads io, LongSupplier nanoTime, ServerLogin login, SslContext tls) {
    this.group = io.eventLoops();
    this.transport = io.transport();
    this.nanoTime = nanoTime;
    this.login = login;
    this.tls = tls;
  }

  @Override
  public CompletableFuture<Connection> connect(ServerAddress address, Duration timeout) {
    List<CompletableFuture<Channel>> attempts = new ArrayList<>();
    List<RespClientHandler> handlers = new ArrayList<>();
    for (EventExecutor loop : group) {
      RespClientHandler handler = new RespClientHandler(checkPeriod(timeout), nanoTime);
      handlers.add(handler);
      attempts.add(connect((EventLoop) loop, address, timeout, handler)
          .thenCompose(channel -> login == null ? CompletableFuture.completedFuture(channel)
              : authenticate(channel, handler, timeout)));
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    CompletableFuture.allOf(attempts.toArray(new CompletableFuture<?>[0])).whenComplete((done, error) -> {
      List<Channel> channels = new ArrayList<>();
      for (CompletableFuture<Channel> attempt : attempts) {
        if (!attempt.isCompletedExceptionally()) {
          channels.add(attempt.join());
        }
      }
      if (error == null) {
        result.complete(new NettyConnection(channels, handlers));
      } else {
        channels.forEach(Channel::close); // all lanes or none
        result.completeExceptionally(firstFailure(attempts, error));
      }
    });
    return result;
  }

  private CompletableFuture<Channel> connect(EventLoop loop, ServerAddress address, Duration timeout,
      RespClientHandler handler) {
    CompletableFuture<Channel> result = new CompletableFuture<>();
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tlsHandler(ch, address, timeout));
            }
            ch.pipeline().addLast(handler);
          }
        });
    ChannelFuture connecting = bootstrap.connect(address.host(), address.port());
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(failure(f.cause(), timeout));
        return;
      }
      Channel channel = connecting.channel();
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      if (ssl == null) {
        result.complete(channel);
        return;
      }
      ssl.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          result.complete(channel);
        } else {
          channel.close();
          result.completeExceptionally(new TransportException("TLS failed: " + TlsContexts.describe(h.cause())
              + " (expected: a TLS port with a certificate for " + address.host() + " that --server-tls-ca signed)",
              h.cause()));
        }
      });
    });
    return result;
  }

  /** The TLS client handler for {@code address}: the server's certificate must name its host. */
  private SslHandler tlsHandler(Channel ch, ServerAddress address, Duration timeout) {
    SslHandler handler = tls.newHandler(ch.alloc(), address.host(), address.port());
    SSLParameters params = handler.engine().getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    handler.engine().setSSLParameters(params);
    handler.setHandshakeTimeoutMillis(Math.max(1, timeout.toMillis()));
    return handler;
  }

  /**
   * Sends AUTH before anything else on {@code channel}; completes with the channel once the server
   * answered +OK, else closes it and fails with the server's refusal (a wrong password is a
   * configuration error the operator must see: the server stays DOWN with that reason).
   */
  private CompletableFuture<Channel> authenticate(Channel channel, RespClientHandler handler, Duration timeout) {
    CompletableFuture<Resp> reply = new CompletableFuture<>();
    channel.writeAndFlush(new RespClientHandler.Batch(List.of(new RespClientHandler.Outgoing(login.request(), reply))),
        channel.voidPromise());
    java.util.concurrent.ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> reply.completeExceptionally(
        new TransportException("no reply to AUTH within " + timeout.toMillis() + " ms")),
        timeout.toNanos(), TimeUnit.NANOSECONDS);
    return reply.handle((answer, error) -> {
      deadline.cancel(false);
      if (answer instanceof Resp.Simple) {
        return channel;
      }
      channel.close();
      if (error != null) {
        throw new java.util.concurrent.CompletionException(error);
      }
      throw new java.util.concurrent.CompletionException(new AuthRefusedException("authentication refused as user "
          + login.user() + ": " + text(answer) + " (expected: " + login.source() + " to hold the servers' password)"));
    });
  }

  private static String text(Resp answer) {
    return answer instanceof Resp.Error e ? e.text() : "unexpected reply " + answer;
  }

  /** The failure to report for a connection whose lanes failed: a refused AUTH before any other. */
  private static Throwable firstFailure(List<CompletableFuture<Channel>> attempts, Throwable error) {
    for (CompletableFuture<Channel> attempt : attempts) {
      try {
        attempt.getNow(null);
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof AuthRefusedException) {
          return e.getCause();
        }
      }
    }
    return error.getCause() != null ? error.getCause() : error;
  }

  /** A tenth of the timeout, within 1..100 ms: how late past the timeout a silent server may be noticed. */
  static Duration checkPeriod(Duration timeout) {
    return Duration.ofNanos(Math.max(1_000_000L, Math.min(100_000_000L, timeout.toNanos() / 10)));
  }

  private static TransportException failure(Throwable cause, Duration timeout) {
    if (cause instanceof ConnectTimeoutException) {
      return new TransportException("connect timed out after " + timeout.toMillis() + " ms", cause);
    }
    if (cause instanceof ConnectException) {
      return new TransportException("connection refused", cause);
    }
    return new TransportException("cannot connect: " + cause.getMessage(), cause);
  }

  /** Nothing to release: the connections close with their servers, the threads are the program's. */
  @Override
  public void close() {}
}
