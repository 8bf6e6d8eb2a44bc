package kv.broker.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import kv.net.NettyTransport;
import kv.security.TlsContexts;
import kv.security.TlsFiles;

/**
 * One listening port of the broker (the RESP router's, the HTTP port's) on its {@link IoThreads}:
 * binds, keeps every accepted connection in a group, puts TLS first when given ({@link TlsGuard})
 * and the front end's handlers after it. Thread-safe; {@link #close} stops accepting and closes
 * every connection (the threads are the program's).
 */
public final class Listener implements AutoCloseable {
  private final ChannelGroup clients;
  private final Channel channel;

  private Listener(ChannelGroup clients, Channel channel) {
    this.clients = clients;
    this.channel = channel;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and serves each connection with the
   * handlers {@code serve} adds, after TLS when {@code tls} is not null.
   *
   * @param protocol the port's protocol, for the messages ({@code RESP}, {@code HTTP})
   * @throws IllegalArgumentException when the TLS files cannot be used
   * @throws IOException naming the address when it cannot be bound
   */
  public static Listener bind(String host, int port, IoThreads io, TlsFiles tls, String protocol,
      Consumer<ChannelPipeline> serve) throws IOException {
    SslContext context = tls == null ? null : TlsContexts.server(tls);
    EventLoopGroup loops = io.eventLoops();
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops, loops)
        .channel(io.transport().serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            clients.add(ch);
            TlsGuard.install(ch.pipeline(), context, protocol);
            serve.accept(ch.pipeline());
          }
        });
    try {
      return new Listener(clients, bootstrap.bind(new InetSocketAddress(host, port)).sync().channel());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + host + ":" + port + " (" + protocol + "): "
          + NettyTransport.bindFailure(e), e);
    }
  }

  /** Clients connected now. */
  public int connectedClients() {
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
