package kv.broker.transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.resp.Resp;

/**
 * One open, pipelined connection to a server: requests are sent in call order and their futures
 * complete in the same order. When the connection ends, every pending future fails with a
 * {@link TransportException} and {@link #closed()} completes with the cause. Implementations are
 * thread-safe. The network hides behind this and {@link Connector}, so the failure handling
 * above can be tested with an in-memory network.
 */
public interface Connection {

  /** Sends one request; the future fails with a {@link TransportException} if no reply comes. */
  CompletableFuture<Resp> send(List<byte[]> args);

  /** Completes (never exceptionally) with the reason when the connection has ended. */
  CompletableFuture<Throwable> closed();

  /**
   * How long, in nanoseconds, the server has owed this connection a reply without sending a
   * single byte; 0 when no reply is owed. Only silence the broker has since had the time to read
   * through counts, so a broker too busy to read never makes a live server look silent.
   */
  long silentNanos();

  /** Closes the connection; pending requests fail with {@code reason}. Idempotent. */
  void close(String reason);

  /** Closes the connection; pending requests fail. Idempotent. */
  default void close() {
    close("closed by the broker");
  }
}
