package kv.broker;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.resp.Resp;

/**
 * A {@link Connection} over one Netty channel: requests from many threads go into an outbox in
 * call order; one task on the event loop drains it, writing every request and flushing once per
 * burst, so concurrent callers and the indexer share one pipelined connection. Thread-safe.
 */
final class ServerConnection implements Connection {
  private final Channel channel;
  private final RespClientHandler handler;
  private final Queue<RespClientHandler.Command> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  private final Runnable drain = this::drain;

  ServerConnection(Channel channel, RespClientHandler handler) {
    this.channel = channel;
    this.handler = handler;
    channel.closeFuture().addListener(f -> closed.complete(new TransportException(handler.closeReason())));
  }

  @Override
  public CompletableFuture<Resp> send(List<byte[]> args) {
    CompletableFuture<Resp> future = new CompletableFuture<>();
    if (!channel.isActive()) {
      future.completeExceptionally(new TransportException("connection closed (" + handler.closeReason() + ")"));
      return future;
    }
    outbox.add(new RespClientHandler.Command(args, future));
    /*
     * The drain task clears the flag before it polls the outbox: a request added after the clear
     * schedules another drain, one added before it is written by this one. No request is left
     * behind, and a burst of requests costs one task and one flush.
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
    // The handler fails a request itself when the channel is no longer active; a failed socket
    // write reaches exceptionCaught (void promise), which closes the channel and fails the rest.
    for (RespClientHandler.Command command = outbox.poll(); command != null; command = outbox.poll()) {
      channel.write(command, channel.voidPromise());
    }
    channel.flush();
  }

  private void failOutbox(TransportException failure) {
    for (RespClientHandler.Command command = outbox.poll(); command != null; command = outbox.poll()) {
      command.future().completeExceptionally(failure);
    }
  }

  @Override
  public CompletableFuture<Throwable> closed() {
    return closed;
  }

  @Override
  public long silentNanos() {
    return handler.silentNanos();
  }

  @Override
  public void close(String reason) {
    handler.closing(reason);
    channel.close();
  }
}
