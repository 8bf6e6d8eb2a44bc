package kv.broker.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kv.resp.RespLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's RESP port ({@code --port}): serves the broker commands to many concurrent clients,
 * as a router in front of the servers (like mongos or twemproxy), on the event loops of the
 * server connections when given them. Thread-safe; {@link #close} stops accepting and closes
 * every connection.
 */
public final class RouterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);

  /** The groups this router created and shuts down (none when it runs on shared event loops). */
  private final List<EventLoopGroup> owned;
  private final ChannelGroup clients;
  private final Channel channel;
  private final Counters counters;

  /** Connection and command counters for INFO. Thread-safe. */
  static final class Counters implements RouterCommands.Stats {
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private volatile int port;

    @Override
    public int port() {
      return port;
    }

    void opened() {
      connected.incrementAndGet();
      total.incrementAndGet();
    }

    void closed() {
      connected.decrementAndGet();
    }

    void command() {
      commands.incrementAndGet();
    }

    @Override
    public long connectedClients() {
      return connected.get();
    }

    @Override
    public long totalConnections() {
      return total.get();
    }

    @Override
    public long totalCommands() {
      return commands.get();
    }
  }

  private RouterServer(List<EventLoopGroup> owned, ChannelGroup clients, Channel channel, Counters counters) {
    this.counters = counters;
    this.owned = owned;
    this.clients = clients;
    this.channel = channel;
  }

  /** As {@link #start(String, int, RouterCommands, RespLimits, EventLoopGroup)} on event loops of its own. */
  public static RouterServer start(String host, int port, RouterCommands commands, RespLimits limits)
      throws IOException {
    return start(host, port, commands, limits, null);
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving.
   *
   * @param eventLoops the event loops of the server connections (the router accepts and serves its
   *     clients on them, so a request and its reply never change threads; not shut down by
   *     {@link #close}), or null for event loops of the router's own
   * @throws IOException naming the address when it cannot be bound
   */
  public static RouterServer start(String host, int port, RouterCommands commands, RespLimits limits,
      EventLoopGroup eventLoops) throws IOException {
    List<EventLoopGroup> owned = eventLoops == null
        ? List.of(new NioEventLoopGroup(1), new NioEventLoopGroup())
        : List.of();
    EventLoopGroup boss = eventLoops == null ? owned.get(0) : eventLoops;
    EventLoopGroup workers = eventLoops == null ? owned.get(1) : eventLoops;
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Counters counters = new Counters();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            clients.add(ch);
            ch.pipeline().addLast(new RouterConnection(commands, counters, limits));
          }
        });
    try {
      Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
      RouterServer server = new RouterServer(owned, clients, channel, counters);
      counters.port = server.port();
      log.info("router listening on {}:{}", host, server.port());
      return server;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      owned.forEach(group -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  RouterCommands.Stats stats() {
    return counters;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    clients.close().syncUninterruptibly();
    owned.forEach(group -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
  }
}
