package kv.broker.transport.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import kv.security.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS front end port's first handlers (the broker's RESP and HTTP ports): Netty's
 * {@code SslHandler}, then this, which logs in one line why a client's TLS failed (plain text on
 * the TLS port, a failed handshake) and closes its connection; everything else passes on. One
 * instance per channel, confined to its event loop.
 */
public final class TlsGuard extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(TlsGuard.class);
  private final String port;
  private boolean said;

  private TlsGuard(String port) {
    this.port = port;
  }

  /** Adds TLS first in {@code pipeline} when {@code tls} is not null; {@code port} names the port in logs. */
  public static void install(ChannelPipeline pipeline, SslContext tls, String port) {
    if (tls != null) {
      pipeline.addLast(tls.newHandler(pipeline.channel().alloc()));
      pipeline.addLast(new TlsGuard(port));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      String why = TlsContexts.refusal(done.cause());
      say(ctx, why != null ? why : "TLS handshake failed: " + TlsContexts.describe(done.cause()));
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String why = TlsContexts.refusal(cause);
    if (why == null) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    say(ctx, why);
    ctx.close();
  }

  private void say(ChannelHandlerContext ctx, String why) {
    if (!said) { // the handshake's failure event and the exception tell the same story
      said = true;
      log.info("{} client {}: {}; closing the connection", port, ctx.channel().remoteAddress(), why);
    }
  }
}
