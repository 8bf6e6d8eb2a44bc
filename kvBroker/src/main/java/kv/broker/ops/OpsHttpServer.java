package kv.broker.ops;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import kv.broker.transport.IoThreads;

/**
 * A small HTTP/1.1 port serving only the {@link OpsRoutes} (status page, {@code /admin/live},
 * {@code /admin/locate/{key}}, {@code /metrics}), one request at a time per connection, on the
 * broker's event loops. It stands in for the broker's HTTP front end until that one mounts the
 * routes itself. Thread-safe; {@link #close} stops accepting and closes every connection.
 */
public final class OpsHttpServer implements AutoCloseable {
  /* Requests here have no body: 64 KiB covers a request line with a long percent-encoded key. */
  private static final int MAX_REQUEST = 64 * 1024;

  private final Channel channel;
  private final ChannelGroup clients;

  private OpsHttpServer(Channel channel, ChannelGroup clients) {
    this.channel = channel;
    this.clients = clients;
  }

  /** Binds {@code host:port} (0 picks a free port). @throws IOException naming the address when it cannot bind */
  public static OpsHttpServer start(String host, int port, OpsRoutes routes, IoThreads io) throws IOException {
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap().group(io.eventLoops(), io.eventLoops())
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            clients.add(ch);
            ch.pipeline().addLast(new HttpServerCodec(MAX_REQUEST, 16 * 1024, 8192), new HttpObjectAggregator(MAX_REQUEST),
                new Handler(routes));
          }
        });
    try {
      return new OpsHttpServer(bootstrap.bind(new InetSocketAddress(host, port)).sync().channel(), clients);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + host + ":" + port + " (HTTP): " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Connections open now. */
  public long connectedClients() {
    return clients.size();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    clients.close().syncUninterruptibly();
  }

  /** One connection: each request answered before the next is read (autoRead off meanwhile). */
  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final OpsRoutes routes;

    Handler(OpsRoutes routes) {
      this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
      CompletableFuture<OpsReply> reply = request.decoderResult().isSuccess()
          ? routes.handle(request.method().name(), request.uri(), request.headers().get(HttpHeaderNames.ACCEPT))
          : CompletableFuture.completedFuture(OpsReply.text(400, "bad request: " + request.decoderResult().cause()));
      if (reply == null) {
        reply = CompletableFuture.completedFuture(OpsReply.text(404, "no such resource: " + request.uri()
            + " (expected: /, /admin/live, /admin/locate/{key} or /metrics)"));
      }
      ctx.channel().config().setAutoRead(false);
      reply.whenComplete((r, error) -> ctx.executor().execute(() -> {
        OpsReply answer = error == null ? r : OpsReply.text(500, "internal error: " + error);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
          response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
          ctx.writeAndFlush(response).addListener(f -> ctx.channel().config().setAutoRead(true));
        } else {
          ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
      }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
