package kv.server;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection within its {@link ClientLimits}: accounts its partial request against the
 * server-wide bound, its unread replies against the per-client bound, and checks the idle and
 * request timeouts on a timer. Used only on the connection's event-loop thread (the write
 * listeners run there too).
 */
final class ConnectionGuard {
  /*
   * Costs on the request path: pending() is a compare of two longs unless the decoder's holding
   * changed (an atomic add on the server's counter then, which happens at read boundaries that
   * split a request, not per request); the timeout bookkeeping reads the clock once per read.
   * The timer runs every quarter of the shortest timeout (between 100 ms and 5 s), so a
   * connection is closed between 1 and 1.25 times its timeout after the fact.
   */
  interface Closer {
    /** Closes the connection; {@code reply} is an error to send first, or null. */
    void close(String why, String reply);
  }

  private final ClientLimits limits;
  private final ServerStats stats;
  private long countedPending;
  private long unsent;
  private long requestStartNanos;
  private long lastActivityNanos = System.nanoTime();
  private boolean paused;
  private ScheduledFuture<?> timer;

  ConnectionGuard(ClientLimits limits, ServerStats stats) {
    this.limits = limits;
    this.stats = stats;
  }

  /** Starts the timeout checks, when a timeout is configured. */
  void start(ChannelHandlerContext ctx, Closer closer) {
    long shortest = Math.min(seconds(limits.idleTimeoutSeconds()), seconds(limits.requestTimeoutSeconds()));
    if (shortest == Long.MAX_VALUE) {
      return;
    }
    long period = Math.max(100, Math.min(5000, shortest * 1000 / 4));
    timer = ctx.executor().scheduleAtFixedRate(() -> check(closer), period, period, TimeUnit.MILLISECONDS);
  }

  private static long seconds(int s) {
    return s == 0 ? Long.MAX_VALUE : s;
  }

  private void check(Closer closer) {
    long now = System.nanoTime();
    int idle = limits.idleTimeoutSeconds();
    int request = limits.requestTimeoutSeconds();
    if (request > 0 && requestStartNanos != 0 && !paused && now - requestStartNanos > TimeUnit.SECONDS.toNanos(request)) {
      closer.close("request not complete " + request + " s after it started (--request-timeout " + request + ")",
          "request not complete within " + request + " s (expected: a whole request within --request-timeout "
              + request + " s); closing the connection");
    } else if (idle > 0 && now - lastActivityNanos > TimeUnit.SECONDS.toNanos(idle)) {
      closer.close("idle for more than " + idle + " s (--idle-timeout " + idle + ")", null);
    }
  }

  /** Bytes were read. */
  void active() {
    lastActivityNanos = System.nanoTime();
  }

  /**
   * Accounts the bytes the decoder holds for a partial request; returns why the connection must
   * close when it takes the server's partial requests over the bound, else null.
   */
  String pending(long held) {
    if (held == countedPending) {
      return null;
    }
    long total = stats.addPendingRequestBytes(held - countedPending);
    boolean grew = held > countedPending;
    countedPending = held;
    if (grew && total > limits.maxPendingRequestBytes()) {
      return "partially received requests hold " + total + " bytes on this server with this one's " + held
          + " (expected: at most " + limits.maxPendingRequestBytes() + ", see --max-pending-request-bytes)";
    }
    return null;
  }

  /** Whether a request has started arriving and is not complete. */
  void requestInProgress(boolean inProgress) {
    if (!inProgress) {
      requestStartNanos = 0;
    } else if (requestStartNanos == 0) {
      requestStartNanos = System.nanoTime();
    }
  }

  /** Reading stopped because the client does not read its replies: the request clock stops too. */
  void paused(boolean paused) {
    this.paused = paused;
    if (paused) {
      requestStartNanos = 0;
    }
  }

  /** Whether {@code more} bytes of replies would take the client over its bound. */
  boolean replyOverLimit(long more) {
    return unsent + more > limits.maxReplyBytes();
  }

  long unsent() {
    return unsent;
  }

  void writing(int bytes) {
    unsent += bytes;
    stats.addUnsentReplyBytes(bytes);
  }

  void written(int bytes) {
    unsent -= bytes;
    stats.addUnsentReplyBytes(-bytes);
    lastActivityNanos = System.nanoTime();
  }

  /** The connection is gone: its partial request no longer counts, the timer stops. */
  void release() {
    if (countedPending != 0) {
      stats.addPendingRequestBytes(-countedPending);
      countedPending = 0;
    }
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
