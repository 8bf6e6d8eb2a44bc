package kv.broker.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator with the body limit answered in request order: a request whose Content-Length
 * is over the limit (checked before any of its body is read) or whose chunked body grows past it
 * becomes a {@link TooLarge} message for {@link HttpConnection}, which answers 413 after the answers
 * before it; the aggregator drops the rest of that body. One per connection; event loop only.
 */
final class BodyLimit extends HttpObjectAggregator {
  /*
   * Netty's own handling writes a bare 413 at once, out of order with pipelined answers still
   * pending, and answers "Expect: 100-continue" with 413 before the connection sees the request.
   * Here both go through the connection's queue: an over-large request with Expect gets no 100
   * (the client sends no body) and its 413 closes the connection, since the decoder would otherwise
   * wait for a body that never comes; one without Expect keeps the connection when it is keep-alive
   * (its body is read and dropped).
   */

  /** An over-large request: its HTTP version, whether the connection stays open, its declared length (-1: chunked). */
  record TooLarge(HttpVersion version, boolean keepAlive, long declaredLength, int limit) {}

  BodyLimit(int maxBodyBytes) {
    super(maxBodyBytes);
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (HttpUtil.getContentLength(start, -1L) > maxContentLength) {
      return null; // answered 413 in order (handleOversizedMessage), and no 100 Continue
    }
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
    if (!(oversized instanceof HttpRequest request)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    long declared = HttpUtil.getContentLength(request, -1L);
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !HttpUtil.is100ContinueExpected(request);
    ctx.fireChannelRead(new TooLarge(request.protocolVersion(), keepAlive, declared, maxContentLength()));
  }
}
