package kv.broker.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import kv.resp.EncodeBuffer;
import kv.resp.Protocol;
import kv.resp.Resp;
import kv.resp.RespEncoder;

/**
 * The replies of one router connection in request order: a slot per request, filled when its
 * command completes (or its answer times out), written from the head once filled. Confined to
 * the connection's event loop.
 */
final class ReplySlots {
  /**
   * A reply in request order, with the protocol to encode it in and whether the client wants it
   * (CLIENT REPLY); {@code resp} is null until its future completes (or times out).
   */
  static final class Slot {
    private Resp resp;
    private final Protocol protocol;
    private final boolean send;
    final boolean close;
    private final long startNanos;
    KeyOrder.Ticket ticket;

    private Slot(Protocol protocol, boolean send, boolean close, long startNanos) {
      this.protocol = protocol;
      this.send = send;
      this.close = close;
      this.startNanos = startNanos;
    }

    /** Fills the slot unless it timed out meanwhile (then the late reply is dropped). */
    void fill(Resp reply) {
      if (resp == null) {
        resp = reply;
      }
    }
  }

  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final EncodeBuffer encoded = new EncodeBuffer();

  /** A new slot at the tail, for the request just decoded. */
  Slot add(Protocol protocol, boolean send, boolean close) {
    Slot slot = new Slot(protocol, send, close, System.nanoTime());
    slots.add(slot);
    return slot;
  }

  int size() {
    return slots.size();
  }

  void clear() {
    slots.clear();
  }

  /**
   * Fills every slot older than {@code timeoutNanos} with {@code noAnswer} (one clock per
   * connection rather than a timer per request) and gives up its place in {@code order}; returns
   * whether any was.
   */
  boolean expire(long timeoutNanos, Resp noAnswer, KeyOrder order) {
    long now = System.nanoTime();
    boolean expired = false;
    for (Slot slot : slots) {
      if (now - slot.startNanos < timeoutNanos) {
        break; // the rest are younger
      }
      if (slot.resp == null) {
        slot.resp = noAnswer;
        expired = true;
        if (slot.ticket != null) {
          order.abandon(slot.ticket);
        }
      }
    }
    return expired;
  }

  /** Writes every filled reply at the head in one buffer, then flushes once; closes after a closing one. */
  void drain(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    boolean any = false;
    while (!slots.isEmpty() && slots.peek().resp != null) {
      Slot slot = slots.poll();
      any = true;
      if (slot.send) {
        RespEncoder.encode(slot.resp, slot.protocol, encoded);
      }
      if (slot.close) {
        slots.clear();
        ctx.writeAndFlush(take(ctx)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    if (any) {
      ctx.writeAndFlush(take(ctx));
    }
  }

  /** What was encoded, in a buffer of its size (an empty write still flushes and can close). */
  private ByteBuf take(ChannelHandlerContext ctx) {
    ByteBuf out = ctx.alloc().buffer(encoded.size());
    out.writeBytes(encoded.array(), 0, encoded.size());
    encoded.reset();
    return out;
  }
}
