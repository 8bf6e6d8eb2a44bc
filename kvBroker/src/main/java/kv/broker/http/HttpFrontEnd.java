package kv.broker.http;

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
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import kv.broker.transport.netty.IoThreads;
import kv.broker.transport.netty.TlsGuard;
import kv.security.TlsContexts;
import kv.security.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP port ({@code --http}): Netty's HTTP/1.1 codec and body aggregator on the
 * broker's {@link IoThreads}, one {@link HttpConnection} per client, answers from the
 * {@link HttpApi}. Thread-safe; {@link #close} stops accepting and closes every connection (the
 * threads are the program's).
 */
public final class HttpFrontEnd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFrontEnd.class);
  /** Longest request line (method, target with a percent-encoded key, version). */
  static final int MAX_REQUEST_LINE = 64 * 1024;
  /** Largest header block. */
  static final int MAX_HEADERS = 16 * 1024;

  private final ChannelGroup clients;
  private final Channel channel;

  private HttpFrontEnd(ChannelGroup clients, Channel channel) {
    this.clients = clients;
    this.channel = channel;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and serves on {@code io}'s event loops, those
   * of the server connections too, so a request and its engine's answer need not change threads.
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static HttpFrontEnd start(String host, int port, HttpApi api, IoThreads io) throws IOException {
    return start(host, port, api, io, null);
  }

  /** As above, HTTPS only when {@code tls} is not null (PEM files checked by {@link TlsFiles}). */
  public static HttpFrontEnd start(String host, int port, HttpApi api, IoThreads io, TlsFiles tls)
      throws IOException {
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
            TlsGuard.install(ch.pipeline(), context, "HTTP");
            serve(ch.pipeline(), api);
          }
        });
    try {
      Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
      HttpFrontEnd server = new HttpFrontEnd(clients, channel);
      log.info("HTTP listening on {}:{}", host, server.port());
      return server;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + host + ":" + port + " (HTTP): " + e.getMessage(), e);
    }
  }

  /** Adds the handlers that turn a connection's bytes into {@code api}'s answers (after TLS, if any). */
  static void serve(ChannelPipeline pipeline, HttpApi api) {
    pipeline
        .addLast(new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADERS)))
        .addLast(new BodyLimit(api.maxBodyBytes()))
        .addLast(new HttpConnection(api));
  }

  /** Clients connected now (for the broker's metrics). */
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
