package kv.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The event loops and socket channels the servers and the broker use: Netty's native epoll
 * transport where it loads (Linux on x86_64), else Java's NIO selector; and what a failed bind
 * says. Stateless and thread-safe.
 */
public enum NettyTransport {
  /** Linux's epoll through Netty's JNI library. */
  EPOLL,
  /** Java's NIO selector: every platform. */
  NIO;

  /*
   * Why epoll: with many clients each sending one request at a time, a proxy's cost is mostly
   * readiness and read/write system calls. Netty's epoll loop is edge-triggered, reads into
   * pooled direct buffers without the selector's key sets, and allocates nothing per wakeup;
   * NIO's selector walks and clears its selected-key set at every wakeup. The choice is made once
   * per process (the library loads or it does not) and every group and channel of the process
   * must use the same one, since a channel registers only with a loop of its own kind.
   */

  /** EPOLL when Netty's native library loads on this machine, else NIO. */
  public static NettyTransport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** The name INFO gives it, as Redis's {@code multiplexing_api}: {@code epoll} or {@code nio}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code threads} event loops made by {@code threads}' factory. */
  public EventLoopGroup eventLoops(int threads, ThreadFactory factory) {
    return this == EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
  }

  /** The listening socket's channel class, for {@code ServerBootstrap.channel}. */
  public Class<? extends ServerSocketChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** A connecting socket's channel class, for {@code Bootstrap.channel}. */
  public Class<? extends SocketChannel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * Why a bind failed, as a user reads it ({@code address already in use}, {@code unknown host
   * x}): the first message in the causes, with the epoll transport's {@code bind(..) failed: }
   * prefix dropped and a lower-case start.
   */
  public static String bindFailure(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host " + cause.getMessage();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (cause instanceof IOException) {
      message = message.replaceFirst("^bind\\(\\.\\.\\) failed: ", "");
    }
    return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
  }
}
