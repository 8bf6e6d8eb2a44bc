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
import kv.broker.transport.netty.IoThreads;
import kv.broker.transport.netty.TlsGuard;
import kv.resp.RespLimits;
import kv.security.TlsContexts;
import kv.security.TlsFiles;
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

  private RouterServer(ChannelGroup clients, Channel channel) {
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
    return start(host, port, commands, limits, io, null);
  }

  /** As above, TLS only when {@code tls} is not null (PEM files checked by {@link TlsFiles}). */
  public static RouterServer start(String host, int port, RouterCommands commands, RespLimits limits, IoThreads io,
      TlsFiles tls) throws IOException {
    io.netty.handler.ssl.SslContext context = tls == null ? null : TlsContexts.server(tls);
    EventLoopGroup loops = io.eventLoops();
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
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
            TlsGuard.install(ch.pipeline(), context, "RESP");
            ch.pipeline().addLast(new RouterConnection(commands, limits));
          }
        });
    try {
      Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
      RouterServer server = new RouterServer(clients, channel);
      commands.clients().port(server.port());
      log.info("router listening on {}:{}", host, server.port());
      return server;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Clients connected now (for the broker's metrics). */
  public long connectedClients() {
    return clients.size();
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
