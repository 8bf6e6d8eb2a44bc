package kv.broker;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Opens Netty client connections to kvServers on a small event loop group, which also serves as
 * the scheduler of heartbeats and reconnects. Thread-safe.
 */
final class NettyConnector implements Connector {
  private final EventLoopGroup group;

  NettyConnector(int threads) {
    this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("kv-broker-io", true));
  }

  ScheduledExecutorService scheduler() {
    return group;
  }

  @Override
  public CompletableFuture<Connection> connect(ServerAddress address, Duration timeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    RespClientHandler handler = new RespClientHandler(checkPeriod(timeout));
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(handler);
          }
        });
    ChannelFuture connecting = bootstrap.connect(address.host(), address.port());
    connecting.addListener(f -> {
      if (f.isSuccess()) {
        result.complete(new ServerConnection(connecting.channel(), handler));
      } else {
        result.completeExceptionally(failure(f.cause(), timeout));
      }
    });
    return result;
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

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
