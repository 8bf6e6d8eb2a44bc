package kv.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NettyTransportTest {

  @Test
  void theBestIsEpollWhereItsLibraryLoads() {
    assertThat(NettyTransport.best()).isEqualTo(Epoll.isAvailable() ? NettyTransport.EPOLL : NettyTransport.NIO);
    if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
      assertThat(NettyTransport.best()).as("the native library ships for linux-x86_64: %s",
          Epoll.unavailabilityCause()).isEqualTo(NettyTransport.EPOLL);
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void itsLoopsAndChannelsCarryBytesBothWaysOverARealSocket(NettyTransport transport) throws Exception {
    assumeTrue(transport == NettyTransport.NIO || Epoll.isAvailable(), "Netty's epoll library does not load here");
    EventLoopGroup loops = transport.eventLoops(2, new DefaultThreadFactory("test-" + transport, true));
    try {
      Channel server = new ServerBootstrap().group(loops).channel(transport.serverChannel())
          .childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              ctx.writeAndFlush(msg); // echo
            }
          }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      CompletableFuture<String> echoed = new CompletableFuture<>();
      StringBuilder got = new StringBuilder();
      Channel client = new Bootstrap().group(loops).channel(transport.socketChannel())
          .handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ByteBuf buf = (ByteBuf) msg;
                  got.append(buf.toString(StandardCharsets.UTF_8));
                  buf.release();
                  if (got.length() >= 6) {
                    echoed.complete(got.toString());
                  }
                }
              });
            }
          }).connect(server.localAddress()).sync().channel();
      client.writeAndFlush(Unpooled.copiedBuffer("PING\r\n", StandardCharsets.UTF_8)).sync();
      assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("PING\r\n");
      client.close().sync();
      server.close().sync();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void aBindToATakenPortSaysAddressAlreadyInUseOnEitherTransport(NettyTransport transport) throws Exception {
    assumeTrue(transport == NettyTransport.NIO || Epoll.isAvailable(), "Netty's epoll library does not load here");
    EventLoopGroup loops = transport.eventLoops(1, new DefaultThreadFactory("test-" + transport, true));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Throwable failure = new ServerBootstrap().group(loops).channel(transport.serverChannel())
          .childHandler(new ChannelInboundHandlerAdapter())
          .bind(new InetSocketAddress("127.0.0.1", taken.getLocalPort())).await().cause();
      assertThat(failure).isNotNull();
      assertThat(NettyTransport.bindFailure(failure)).isEqualTo("address already in use");
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void anUnknownHostIsNamed() {
    assertThat(NettyTransport.bindFailure(new UnknownHostException("no.such.host"))).isEqualTo("unknown host no.such.host");
  }
}
