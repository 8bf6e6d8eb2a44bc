package kv.broker;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import kv.resp.Resp;

/**
 * The requests sent to one server that have no reply yet, oldest first, and the rule that says
 * the server is hung. Thread-safe: {@link #add} from any thread, {@link #expired} and
 * {@link #drain} from one thread at a time (the server's tick, or close).
 */
final class Inflight {

  /** A request without reply yet, and the connection it went out on. */
  record Pending(CompletableFuture<Resp> future, long sentNanos, Connection connection) {}

  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final long timeoutNanos;
  /** When {@link #expired} last saw a reply arrive. */
  private long lastProgressNanos;

  Inflight(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  void add(CompletableFuture<Resp> future, long sentNanos, Connection connection) {
    if (!future.isDone()) {
      queue.add(new Pending(future, sentNanos, connection));
    }
  }

  /**
   * Forgets the answered requests at the head and returns (removing it) the oldest unanswered
   * one if the server is hung, else null.
   */
  Pending expired(long now) {
    /*
     * Replies come in order, so the oldest request without reply is at the head (or close to it:
     * concurrent senders may enqueue a little out of order). A server is hung when it has
     * requests without reply and has answered nothing for the timeout: a deep pipeline (bulk
     * indexing) that keeps answering is slow, not dead, so the head's clock starts at the later
     * of its sending and the last reply seen.
     */
    boolean progressed = false;
    for (Pending p = queue.peek(); p != null; p = queue.peek()) {
      if (p.future().isDone()) {
        queue.poll();
        progressed = true;
        continue;
      }
      if (progressed) {
        lastProgressNanos = now;
      }
      if (now - Math.max(p.sentNanos(), lastProgressNanos) < timeoutNanos) {
        return null;
      }
      return queue.poll();
    }
    return null;
  }

  /** Fails every request still without reply. */
  void drain(Throwable failure) {
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      p.future().completeExceptionally(failure);
    }
  }
}
