package kv.broker.catchup;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import kv.broker.health.WatchedServer;
import kv.cluster.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the catch-up's work for each server one pass at a time on the scheduler: a pass asked for
 * while one runs runs once more after it; a pass that left work (it completes with true, or
 * fails) is retried after a capped, doubling delay; {@link #idle} says when nothing runs or is
 * queued. Thread-safe.
 */
final class Jobs {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);
  private static final long MIN_RETRY_MILLIS = 500;
  private static final long MAX_RETRY_MILLIS = 30_000;

  /** One server's passes: running or not, asked again meanwhile, a retry waiting, its delay. Guarded by itself. */
  private static final class Job {
    boolean running;
    boolean again;
    boolean retryScheduled;
    long retryMillis;
  }

  private final ScheduledExecutorService scheduler;
  private final Function<WatchedServer, CompletableFuture<Boolean>> pass;
  private final Map<ServerAddress, Job> jobs = new ConcurrentHashMap<>();
  private final Object idleLock = new Object();
  private int active;
  private CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);
  private volatile boolean closed;

  /** @param pass one pass for a server; completes with whether it must be retried */
  Jobs(ScheduledExecutorService scheduler, Function<WatchedServer, CompletableFuture<Boolean>> pass) {
    this.scheduler = scheduler;
    this.pass = pass;
  }

  /** Completes when no pass is running or queued (retries waiting on a timer do not count). */
  CompletableFuture<Void> idle() {
    synchronized (idleLock) {
      return idle;
    }
  }

  /** Whether a pass for the server is running or a retry of one is waiting. */
  boolean waiting(ServerAddress server) {
    Job job = jobs.get(server);
    if (job == null) {
      return false;
    }
    synchronized (job) {
      return job.running || job.retryScheduled;
    }
  }

  /** A pass for {@code server} now, or once more after the one running. */
  void submit(WatchedServer server) {
    if (closed) {
      return;
    }
    Job job = jobs.computeIfAbsent(server.address(), a -> new Job());
    synchronized (job) {
      if (job.running) {
        job.again = true;
        return;
      }
      job.running = true;
      job.retryScheduled = false;
    }
    busy(+1);
    try {
      scheduler.execute(() -> pass.apply(server).whenComplete((retry, error) -> {
        if (error != null) {
          log.warn("catch-up of {} failed", server.address(), error);
        }
        finish(server, job, error != null || Boolean.TRUE.equals(retry));
      }));
    } catch (RejectedExecutionException e) {
      finish(server, job, false);
    }
  }

  private void finish(WatchedServer server, Job job, boolean retry) {
    boolean again;
    long delay = 0;
    synchronized (job) {
      job.running = false;
      again = job.again && !closed;
      job.again = false;
      if (retry && !again && !closed) {
        job.retryMillis = job.retryMillis == 0 ? MIN_RETRY_MILLIS : Math.min(job.retryMillis * 2, MAX_RETRY_MILLIS);
        delay = job.retryMillis;
        job.retryScheduled = true;
      } else if (!retry) {
        job.retryMillis = 0;
      }
    }
    if (again) {
      submit(server);
    } else if (delay > 0) {
      try {
        scheduler.schedule(() -> {
          synchronized (job) {
            job.retryScheduled = false;
          }
          if (server.isUp()) {
            submit(server);
          }
        }, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("no retry of the catch-up of {}: shutting down", server.address());
      }
    }
    busy(-1);
  }

  private void busy(int delta) {
    CompletableFuture<Void> done = null;
    synchronized (idleLock) {
      active += delta;
      if (active == 1 && delta > 0 && idle.isDone()) {
        idle = new CompletableFuture<>();
      } else if (active == 0) {
        done = idle;
      }
    }
    if (done != null) {
      done.complete(null);
    }
  }

  /** No more passes; one running ends as it will. */
  void close() {
    closed = true;
    for (Job job : jobs.values()) {
      synchronized (job) {
        job.again = false;
      }
    }
  }
}
