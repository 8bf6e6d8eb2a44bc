package kv.broker.catchup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * again meanwhile, a replica restarted since the delete or is not UP and trusted, a server of the
 * cluster is down, or one holds a hint of the key. Thread-safe; timers run on the broker's
 * scheduler.
 */
public final class TombstonePurger {
  /*
   * A tombstone exists so that an older write arriving late cannot resurrect the record. Once it
   * is purged, such a write would apply again; so the tombstones stay while anything could still
   * bring one:
   *  - a replica whose instance changed since the delete (it restarted; with --fsync everysec it
   *    may have lost the tombstone with its last second of writes and come back with the live
   *    record, which the other replicas' tombstones must then still beat);
   *  - a hint of the key on any server (VHINTED; the holder's copy, replayed later, must meet
   *    the tombstone), and a server that is down (it may hold one: a key that moved to other
   *    replicas when the server file changed leaves hints and copies behind);
   *  - a replica DOWN or catching up, a newer write seen here, too many pending purges.
   * The grace period covers writes still in flight (a broker's request, not yet hinted). When in
   * doubt the tombstone is kept, never retried: it only costs a few bytes. Pending purges live in
   * this broker's memory only: those of a broker that stops are never sent. A purge that reaches
   * only some replicas is harmless: the others keep a tombstone, which reads, read repair and
   * resync treat like any tombstone.
   */
  private static final Logger log = LoggerFactory.getLogger(TombstonePurger.class);

  /** At most this many purges wait at once; later deletes keep their tombstones. */
  public static final int MAX_PENDING = 100_000;

  private record Pending(long version, List<Server> replicas, List<String> instances, ScheduledFuture<?> timer) {}

  private final Duration grace;
  private final ScheduledExecutorService scheduler;
  private final int maxPending;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong purged = new AtomicLong();
  private volatile List<Server> cluster = List.of();
  private volatile boolean closed;

  /** {@code grace} zero: purging is off (tombstones are kept forever). */
  public TombstonePurger(Duration grace, ScheduledExecutorService scheduler, int maxPending) {
    this.grace = grace;
    this.scheduler = scheduler;
    this.maxPending = maxPending;
  }

  /** Every server of the cluster (each is asked whether it holds a hint of the key before a purge). */
  public void bind(List<? extends Server> servers) {
    this.cluster = List.copyOf(servers);
  }

  /**
   * A DELETE wrote the tombstone {@code version} on every one of {@code replicas} (the instance
   * each one had then is recorded): purge it after the grace.
   */
  public void deleted(String key, long version, List<Server> replicas) {
    if (grace.isZero() || closed || (pending.size() >= maxPending && !pending.containsKey(key))) {
      return;
    }
    List<String> instances = new ArrayList<>(replicas.size());
    for (Server replica : replicas) {
      instances.add(replica.instanceId());
    }
    pending.compute(key, (k, old) -> {
      if (old != null) {
        if (old.version() >= version) {
          return old;
        }
        old.timer().cancel(false);
      }
      try {
        return new Pending(version, List.copyOf(replicas), instances,
            scheduler.schedule(() -> fire(key, version), grace.toMillis(), TimeUnit.MILLISECONDS));
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
    for (int i = 0; i < p.replicas().size(); i++) {
      Server replica = p.replicas().get(i);
      if (!replica.isUp() || replica.catchingUp()) {
        log.debug("tombstone of {} kept: replica {} is down or catching up", key, replica.address());
        return;
      }
      if (!Objects.equals(replica.instanceId(), p.instances().get(i))) {
        log.debug("tombstone of {} kept: replica {} restarted since the delete", key, replica.address());
        return;
      }
    }
    List<Server> all = cluster;
    for (Server server : all) {
      if (!server.isUp()) {
        log.debug("tombstone of {} kept: {} is down and may hold a hint of it", key, server.address());
        return;
      }
    }
    Fanout.ask(all, ServerRequests.vhinted(key)).thenAccept(answers -> {
      for (Fanout.Reply answer : answers) {
        if (!(answer.resp() instanceof Resp.Int n && n.value() == 0)) {
          log.debug("tombstone of {} kept: {} holds a hint of it or did not say ({})", key, answer.address(),
              answer.failure() != null ? TransportException.reason(answer.failure()) : answer.resp());
          return;
        }
      }
      purge(key, version, p.replicas());
    });
  }

  private void purge(String key, long version, List<Server> replicas) {
    Fanout.ask(replicas, ServerRequests.vpurge(key, version)).thenAccept(replies -> {
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
