package kv.broker.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.transport.IoThreads;
import kv.resp.RespLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's RESP port ({@code --port}): serves the broker commands to many concurrent clients,
 * as a router in front of the servers (like mongos or twemproxy), on the broker's {@link IoThreads}.
 * Thread-safe; {@link #close} stops accepting and closes every connection (the threads are the
 * program's, closed after it).
 */
public final class RouterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);

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

  private RouterServer(ChannelGroup clients, Channel channel, Counters counters) {
    this.counters = counters;
    this.clients = clients;
    this.channel = channel;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving on {@code io}'s event
   * loops, those of the server connections too, so a request and its reply never change threads.
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static RouterServer start(String host, int port, RouterCommands commands, RespLimits limits, IoThreads io)
      throws IOException {
    EventLoopGroup loops = io.eventLoops();
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Counters counters = new Counters();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops, loops)
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
      RouterServer server = new RouterServer(clients, channel, counters);
      counters.port = server.port();
      log.info("router listening on {}:{}", host, server.port());
      return server;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  RouterCommands.Stats stats() {
    return counters;
  }

  /** Clients connected now (for the broker's metrics). */
  public long connectedClients() {
    return counters.connectedClients();
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    clients.close().syncUninterruptibly();
  }
}
