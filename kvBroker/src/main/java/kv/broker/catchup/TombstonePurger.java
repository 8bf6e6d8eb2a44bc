package kv.broker.catchup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops tombstones every replica has: after a DELETE that all k replicas applied, sends
 * {@code VPURGE key version} to them once a grace period has passed, unless the key was written
 * again meanwhile, a hint for it is held, or one of its replicas is not UP and caught up.
 * Thread-safe; timers run on the broker's scheduler.
 */
public final class TombstonePurger {
  /*
   * A tombstone exists so that an older write arriving late cannot resurrect the record. Once it
   * is purged, such a write would apply again; so the grace period must exceed how long a write
   * can stay unapplied somewhere (a hint held by another broker, a request in flight, the resync
   * of a replica restarted from a log that had not fsynced the delete). When in doubt the
   * tombstone is kept: a replica DOWN or catching up, a hint for the key, a newer write seen
   * here, or too many pending purges all mean no purge (never a retry: a kept tombstone only
   * costs a few bytes). Pending purges live in this broker's memory only: those of a broker that
   * stops are never sent. A purge that reaches only some replicas is harmless: the others keep
   * a tombstone, which reads, read repair and resync treat like any tombstone.
   */
  private static final Logger log = LoggerFactory.getLogger(TombstonePurger.class);

  /** At most this many purges wait at once; later deletes keep their tombstones. */
  public static final int MAX_PENDING = 100_000;

  private record Pending(long version, List<Server> replicas, ScheduledFuture<?> timer) {}

  private final Duration grace;
  private final ScheduledExecutorService scheduler;
  private final HintStore hints;
  private final int maxPending;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong purged = new AtomicLong();
  private volatile boolean closed;

  /** {@code grace} zero: purging is off (tombstones are kept forever). */
  public TombstonePurger(Duration grace, ScheduledExecutorService scheduler, HintStore hints, int maxPending) {
    this.grace = grace;
    this.scheduler = scheduler;
    this.hints = hints;
    this.maxPending = maxPending;
  }

  /** A DELETE wrote the tombstone {@code version} on every one of {@code replicas}: purge it after the grace. */
  public void deleted(String key, long version, List<Server> replicas) {
    if (grace.isZero() || closed || (pending.size() >= maxPending && !pending.containsKey(key))) {
      return;
    }
    Pending[] mine = new Pending[1];
    pending.compute(key, (k, old) -> {
      if (old != null) {
        if (old.version() >= version) {
          return old;
        }
        old.timer().cancel(false);
      }
      try {
        mine[0] = new Pending(version, List.copyOf(replicas),
            scheduler.schedule(() -> fire(key, version), grace.toMillis(), TimeUnit.MILLISECONDS));
        return mine[0];
      } catch (RejectedExecutionException e) {
        return null; // the broker is closing
      }
    });
  }

  /** The key was written again (a PUT): its pending purge, if any, is cancelled. */
  public void written(String key) {
    Pending old = pending.remove(key);
    if (old != null) {
      old.timer().cancel(false);
    }
  }

  /** Purges waiting for their grace period. */
  public int pending() {
    return pending.size();
  }

  /** Tombstones removed so far (replicas that answered :1). */
  public long purged() {
    return purged.get();
  }

  public void close() {
    closed = true;
    for (Pending p : pending.values()) {
      p.timer().cancel(false);
    }
    pending.clear();
  }

  private void fire(String key, long version) {
    Pending p = pending.get(key);
    if (closed || p == null || p.version() != version || !pending.remove(key, p)) {
      return; // cancelled by a newer write, or replaced by a newer delete's purge
    }
    if (hints.holds(key)) {
      log.debug("tombstone of {} kept: a hint for the key is held", key);
      return;
    }
    for (Server server : p.replicas()) {
      if (!server.isUp() || server.catchingUp() || hints.held(server.address()) < 0) {
        log.debug("tombstone of {} kept: replica {} is down or catching up", key, server.address());
        return;
      }
    }
    Fanout.ask(p.replicas(), ServerRequests.vpurge(key, version)).thenAccept(replies -> {
      for (Fanout.Reply reply : replies) {
        if (reply.resp() instanceof Resp.Int n && n.value() == 1) {
          purged.incrementAndGet();
        } else if (reply.resp() instanceof Resp.Error || reply.failure() != null) {
          log.debug("VPURGE {} on {} failed: {}", key, reply.address(),
              reply.failure() != null ? TransportException.reason(reply.failure()) : reply.resp());
        }
      }
    });
  }
}
