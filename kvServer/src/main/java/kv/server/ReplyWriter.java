package kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import kv.resp.EncodeBuffer;
import kv.resp.Protocol;
import kv.resp.Resp;
import kv.resp.RespEncoder;

/**
 * A connection's outgoing replies: encodes them into one buffer, writes and flushes it (once per
 * read, or as soon as it holds {@link #WRITE_CHUNK} bytes) and counts the bytes written with the
 * {@link ConnectionGuard} until the socket took them. Used only on the connection's event-loop thread.
 */
final class ReplyWriter {
  /*
   * Replies above WRITE_CHUNK bytes are written at once so one read of many small requests for
   * big values cannot pile up in the buffer; the guard then sees them as unread replies.
   */
  static final int WRITE_CHUNK = 64 * 1024;

  private final ConnectionGuard guard;
  private final EncodeBuffer out = new EncodeBuffer();

  ReplyWriter(ConnectionGuard guard) {
    this.guard = guard;
  }

  /** Appends {@code reply}, encoded in {@code protocol}, to the buffer. */
  void encode(Resp reply, Protocol protocol) {
    RespEncoder.encode(reply, protocol, out);
  }

  /** Bytes encoded and not written yet. */
  int buffered() {
    return out.size();
  }

  /** Writes and flushes the buffer (an empty one when nothing is buffered), e.g. to close after it. */
  ChannelFuture send(ChannelHandlerContext ctx) {
    return out.size() == 0 ? ctx.writeAndFlush(Unpooled.EMPTY_BUFFER) : write(ctx, take(ctx));
  }

  /** Writes and flushes what is buffered, if anything. */
  void flush(ChannelHandlerContext ctx) {
    if (out.size() > 0) {
      write(ctx, take(ctx));
    }
  }

  /** Writes the buffer once it holds {@link #WRITE_CHUNK} bytes. */
  void flushIfChunk(ChannelHandlerContext ctx) {
    if (out.size() >= WRITE_CHUNK) {
      write(ctx, take(ctx));
    }
  }

  /** Drops what is buffered (the connection closes without it). */
  void release() {
    out.reset();
  }

  /** Writes and flushes {@code buf}, counting its bytes as unread until the socket took them. */
  private ChannelFuture write(ChannelHandlerContext ctx, ByteBuf buf) {
    int n = buf.readableBytes();
    guard.writing(n);
    return ctx.writeAndFlush(buf).addListener(f -> guard.written(n));
  }

  /** What is buffered, in a socket buffer of its size. */
  private ByteBuf take(ChannelHandlerContext ctx) {
    ByteBuf buf = ctx.alloc().ioBuffer(out.size());
    buf.writeBytes(out.array(), 0, out.size());
    out.reset();
    return buf;
  }
}
