package kv.broker;

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
interface Connection {

  /** Sends one request; the future fails with a {@link TransportException} if no reply comes. */
  CompletableFuture<Resp> send(List<byte[]> args);

  /** Completes (never exceptionally) with the reason when the connection has ended. */
  CompletableFuture<Throwable> closed();

  /** Closes the connection; pending requests fail. Idempotent. */
  void close();
}
