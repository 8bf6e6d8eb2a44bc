package kv.broker.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
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
    ByteBuf out = null;
    while (!slots.isEmpty() && slots.peek().resp != null) {
      Slot slot = slots.poll();
      if (out == null) {
        out = ctx.alloc().buffer();
      }
      if (slot.send) {
        RespEncoder.encode(slot.resp, slot.protocol, new ByteBufOutputStream(out));
      }
      if (slot.close) {
        slots.clear();
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    if (out != null) {
      ctx.writeAndFlush(out);
    }
  }
}
