package kv.broker;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.resp.Resp;

/**
 * A {@link Connection} over one Netty channel: requests from many threads are written in call
 * order and flushed in batches (one flush per burst, run on the event loop), so concurrent
 * callers and the indexer share one pipelined connection. Thread-safe.
 */
final class ServerConnection implements Connection {
  private final Channel channel;
  private final RespClientHandler handler;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  private final Runnable flush;

  ServerConnection(Channel channel, RespClientHandler handler) {
    this.channel = channel;
    this.handler = handler;
    this.flush = () -> {
      flushScheduled.set(false);
      channel.flush();
    };
    channel.closeFuture().addListener(f -> closed.complete(new TransportException(handler.closeReason())));
  }

  @Override
  public CompletableFuture<Resp> send(List<byte[]> args) {
    CompletableFuture<Resp> future = new CompletableFuture<>();
    if (!channel.isActive()) {
      future.completeExceptionally(new TransportException("connection closed (" + handler.closeReason() + ")"));
      return future;
    }
    channel.write(new RespClientHandler.Command(args, future)).addListener(written -> {
      if (!written.isSuccess()) {
        future.completeExceptionally(new TransportException("write failed: " + written.cause(), written.cause()));
        channel.close();
      }
    });
    // The write task is queued before this flush task, so the flush sends it (and any others).
    if (flushScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(flush);
    }
    return future;
  }

  @Override
  public CompletableFuture<Throwable> closed() {
    return closed;
  }

  @Override
  public void close() {
    handler.closing("closed by the broker");
    channel.close();
  }
}
