package kv.broker.transport.netty;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.broker.transport.Connection;
import kv.broker.transport.TransportException;
import kv.resp.Resp;

/**
 * A {@link Connection} to one server over one Netty channel per event loop of the broker (a
 * lane): a caller running on one of those loops, such as a router client's, sends on its own
 * loop's lane, so its request is written and its reply read and completed on its thread with no
 * hand-over; other callers share the first lane. The connection ends when any lane ends.
 * Thread-safe.
 */
final class NettyConnection implements Connection {
  private final Lane[] lanes;
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();

  /** One lane per channel (one channel per event loop), each channel with its {@link RespClientHandler}. */
  NettyConnection(List<Channel> channels, List<RespClientHandler> handlers) {
    if (channels.isEmpty() || channels.size() != handlers.size()) {
      throw new IllegalArgumentException("channels: " + channels.size() + ", handlers: " + handlers.size()
          + " (expected: one handler per channel, at least one)");
    }
    lanes = new Lane[channels.size()];
    for (int i = 0; i < lanes.length; i++) {
      Lane lane = new Lane(channels.get(i), handlers.get(i));
      lanes[i] = lane;
      lane.channel.closeFuture().addListener(f -> laneClosed(lane));
    }
  }

  @Override
  public CompletableFuture<Resp> send(List<byte[]> args) {
    return lane().send(args);
  }

  /** The lane of the calling thread's event loop, else the first. */
  private Lane lane() {
    for (Lane lane : lanes) {
      if (lane.channel.eventLoop().inEventLoop()) {
        return lane;
      }
    }
    return lanes[0];
  }

  /** One lane ended: the server closed it or went away, so the whole connection ends with its reason. */
  private void laneClosed(Lane lane) {
    String reason = lane.handler.closeReason();
    close(reason);
    closed.complete(new TransportException(reason));
  }

  @Override
  public CompletableFuture<Throwable> closed() {
    return closed;
  }

  @Override
  public long silentNanos() {
    long silent = 0;
    for (Lane lane : lanes) {
      silent = Math.max(silent, lane.handler.silentNanos());
    }
    return silent;
  }

  @Override
  public void close(String reason) {
    for (Lane lane : lanes) {
      lane.handler.closing(reason);
      lane.channel.close();
    }
  }

  /**
   * One channel: requests from many threads go into an outbox in call order; one task on the
   * event loop drains it, writing the burst as one batch and flushing once.
   */
  private static final class Lane {
    final Channel channel;
    final RespClientHandler handler;
    private final Queue<RespClientHandler.Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    Lane(Channel channel, RespClientHandler handler) {
      this.channel = channel;
      this.handler = handler;
    }

    CompletableFuture<Resp> send(List<byte[]> args) {
      CompletableFuture<Resp> future = new CompletableFuture<>();
      if (!channel.isActive()) {
        future.completeExceptionally(new TransportException("connection closed (" + handler.closeReason() + ")"));
        return future;
      }
      outbox.add(new RespClientHandler.Outgoing(args, future));
      /*
       * The drain task clears the flag before it polls the outbox: a request added after the
       * clear schedules another drain, one added before it is written by this one. No request is
       * left behind, and a burst of requests costs one task and one flush.
       */
      if (drainScheduled.compareAndSet(false, true)) {
        try {
          channel.eventLoop().execute(drain);
        } catch (RejectedExecutionException e) {
          drainScheduled.set(false);
          failOutbox(new TransportException("the broker is closing"));
        }
      }
      return future;
    }

    private void drain() {
      drainScheduled.set(false);
      List<RespClientHandler.Outgoing> batch = new ArrayList<>();
      for (RespClientHandler.Outgoing command = outbox.poll(); command != null; command = outbox.poll()) {
        batch.add(command);
      }
      if (!batch.isEmpty()) {
        // The handler fails the requests itself when the channel is no longer active; a failed
        // socket write reaches exceptionCaught (void promise), which closes the channel and fails the rest.
        channel.writeAndFlush(new RespClientHandler.Batch(batch), channel.voidPromise());
      }
    }

    private void failOutbox(TransportException failure) {
      for (RespClientHandler.Outgoing command = outbox.poll(); command != null; command = outbox.poll()) {
        command.future().completeExceptionally(failure);
      }
    }
  }
}
