package kv.broker.catchup;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import kv.broker.health.InfoReply;
import kv.broker.health.OwedHints;
import kv.broker.health.ServerEvents;
import kv.broker.health.WatchedServer;
import kv.broker.transport.ServerRequests;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings servers up to date, for any broker: replays the hints other servers hold for a server
 * ({@link HintReplay}) whenever it is UP and can log, and, when it lost data, resyncs it from the
 * other replicas of its keys ({@link Resync}). A server that is catching up (it restarted, or no
 * broker has marked it caught up since it started) is trusted for a key once every other replica
 * of the key has been drained of its hints for it (and compared, after a loss); then it is marked
 * caught up on the server itself ({@code VCAUGHTUP}), for every broker to see. Work for one server
 * runs one job at a time as a chain of futures on the broker's scheduler (never blocking);
 * incomplete work is retried with backoff. Thread-safe.
 */
public final class CatchUp implements ServerEvents, AutoCloseable {
  /*
   * Trust, in order of what a server says at its handshake and what this broker knows:
   *  - caught_up:0 (it started since any broker marked it): catching up. Its hints may be on any
   *    other server, so each other server is drained (VHINTS) before the keys it shares with
   *    this one are trusted; a server that is down blocks exactly those keys. If it also lost data
   *    (empty, in memory, a damaged log tail) or was never resynced in full (resynced:0, a server
   *    new to the cluster that took some writes before any broker compared it) each other server is
   *    also resynced from. When every other server is done: trusted, VCAUGHTUP (RESYNCED after a
   *    full resync, which the server logs). A restart that kept its data is then resynced in the
   *    background (a power cut may have cost it the last fsync interval), best effort.
   *  - caught_up:1: trusted, except for the keys it shares with a server known (OwedHints, from
   *    INFO or from this broker's own writes) to hold hints for it, until those are replayed.
   *    (A server that holds hints for it and is down when this broker starts is unknown: then a
   *    write acknowledged while it was partitioned, not restarted, is not seen until that server
   *    is back. A restart always clears caught_up.)
   * No broker keeps hints in memory: the replicas that acknowledged a write keep them, durably,
   * so a broker that exits right after a PUT (-c, a script, SIGKILL) loses nothing.
   */
  private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

  private final OwedHints owed;
  private final HintReplay replay = new HintReplay();
  private final Set<ServerAddress> needsResync = ConcurrentHashMap.newKeySet();
  private final Jobs jobs;
  /** Per UP period of a server catching up: whom its hints were drained from, whom it was resynced from. */
  private final Map<Period, Progress> progress = new ConcurrentHashMap<>();
  private final Resyncs resyncs = new Resyncs();
  private volatile List<WatchedServer> servers = List.of();
  private volatile boolean closed;

  private record Period(ServerAddress server, int epoch) {}

  private static final class Progress {
    final Set<ServerAddress> drained = ConcurrentHashMap.newKeySet();
    final Set<ServerAddress> resynced = ConcurrentHashMap.newKeySet();
  }

  public CatchUp(ScheduledExecutorService scheduler, OwedHints owed) {
    this.owed = owed;
    this.jobs = new Jobs(scheduler, this::run);
  }

  /** Sets the servers and their placement; called once before any server starts. */
  public void bind(List<WatchedServer> servers, Placement placement, int pageSize) {
    this.servers = List.copyOf(servers);
    resyncs.bind(servers, placement, pageSize);
  }

  /** Hints replayed so far. */
  public long replayed() {
    return replay.replayed();
  }

  /** Hints a server refused so far (kept, tried again). */
  public long refused() {
    return replay.refused();
  }

  /** Records copied by resyncs so far. */
  public long copied() {
    return resyncs.copied();
  }

  /** Completes when no catch-up work is running or queued (retries waiting on a timer do not count). */
  public CompletableFuture<Void> idle() {
    return jobs.idle();
  }

  @Override
  public boolean mustCatchUp(ServerAddress server, Kind kind, InfoReply info) {
    boolean lost = !info.keptItsData();
    if ((kind == Kind.RESTART || !info.caughtUp()) && lost) {
      needsResync.add(server);
    }
    return kind == Kind.RESTART || !info.caughtUp() || needsResync.contains(server);
  }

  @Override
  public void up(WatchedServer server, Kind kind, int epoch) {
    if (server.comparing() && !needsResync.contains(server.address())) {
      resyncs.inBackgroundOnceTrusted(server.address(), epoch); // it restarted with its data
    }
    submit(server);
    for (WatchedServer other : servers) {
      // Another server being back may let a pending catch-up finish, or replay what it holds.
      if (other != server && other.writable() && (other.comparing() || owed.holders(other.address())
          .contains(server.address()))) {
        submit(other);
      }
    }
  }

  @Override
  public void info(WatchedServer holder, InfoReply info) {
    Map<ServerAddress, Long> targets = new LinkedHashMap<>();
    info.hintedServers().forEach((name, n) -> {
      for (WatchedServer s : servers) {
        if (s.address().toString().equals(name)) {
          targets.put(s.address(), n);
        }
      }
    });
    Set<ServerAddress> fresh = owed.reported(holder.address(), targets);
    for (WatchedServer target : servers) {
      if (targets.containsKey(target.address()) && target.writable() && (fresh.contains(target.address()) || !waiting(target))) {
        submit(target);
      }
    }
    if (info.logWritable() && holder.isUp() && (holder.comparing() || owed.isOwed(holder.address())) && !waiting(holder)) {
      submit(holder); // e.g. it can log again: the hints others keep for it
    }
  }

  /** A write of this broker left hints for {@code target} on {@code holder}: replayed as soon as the target can take them. */
  public void hinted(ServerAddress holder, ServerAddress target) {
    owed.added(holder, target);
    for (WatchedServer server : servers) {
      if (server.address().equals(target) && server.writable()) {
        submit(server);
      }
    }
  }

  /** Runs the catch-up of every UP server that is catching up, now. */
  public void retryPending() {
    for (WatchedServer server : servers) {
      if (server.isUp() && server.catchingUp()) {
        submit(server);
      }
    }
  }

  private boolean waiting(WatchedServer server) {
    return jobs.waiting(server.address());
  }

  private void submit(WatchedServer server) {
    jobs.submit(server);
  }

  /** One pass for {@code server}; completes with whether it must be retried (something was left to do). */
  private CompletableFuture<Boolean> run(WatchedServer server) {
    int epoch = server.epoch();
    if (closed || !server.isCurrent(epoch) || !server.writable()) {
      return CompletableFuture.completedFuture(false); // its next UP or writable INFO brings it back
    }
    ServerAddress address = server.address();
    boolean comparing = server.comparing();
    boolean strict = needsResync.contains(address);
    Progress done = comparing ? progress.computeIfAbsent(new Period(address, epoch), p -> new Progress()) : new Progress();
    progress.keySet().removeIf(p -> p.server().equals(address) && p.epoch() != epoch);
    boolean[] incomplete = {false};
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (WatchedServer holder : servers) {
      if (holder == server || (!comparing && !owed.holders(address).contains(holder.address()))
          || done.drained.contains(holder.address())) {
        continue;
      }
      chain = chain.thenCompose(previous -> drain(holder, server, epoch, done, incomplete));
    }
    if (strict) {
      chain = chain.thenCompose(previous -> resyncs.run(server, epoch, done.resynced, incomplete));
    }
    return chain.thenCompose(previous -> {
      if (comparing) {
        server.verified(epoch, verified(done, strict));
      }
      if (incomplete[0] || !server.isCurrent(epoch)) {
        return CompletableFuture.completedFuture(true);
      }
      if (comparing) {
        needsResync.remove(address);
        return markCaughtUp(server, epoch, strict).thenApply(marked -> {
          resyncs.background(server, epoch);
          return false;
        });
      }
      return CompletableFuture.completedFuture(false);
    });
  }

  private static Set<ServerAddress> verified(Progress done, boolean strict) {
    Set<ServerAddress> verified = new LinkedHashSet<>(done.drained);
    if (strict) {
      verified.retainAll(done.resynced);
    }
    return verified;
  }

  /** Replays {@code holder}'s hints for {@code target}; marks the pair drained or the pass incomplete. */
  private CompletableFuture<Void> drain(WatchedServer holder, WatchedServer target, int epoch, Progress done,
      boolean[] incomplete) {
    if (!holder.isUp() || !target.isCurrent(epoch)) {
      incomplete[0] = true;
      return CompletableFuture.completedFuture(null);
    }
    long generation = owed.generation(holder.address(), target.address());
    return replay.drain(holder, target).thenAccept(result -> {
      if (result.replayed() > 0) {
        log.info("replayed {} hint(s) kept on {} to {}", result.replayed(), holder.address(), target.address());
      }
      if (result.drained()) {
        owed.drained(holder.address(), target.address(), generation);
        done.drained.add(holder.address());
      } else {
        incomplete[0] = true;
        log.info("replay of the hints {} keeps for {} incomplete: {}; will retry", holder.address(), target.address(),
            result.problem());
      }
    });
  }

  /**
   * Trusted here, and marked caught up on the server for every broker (unless it restarted
   * meanwhile), and resynced in full when it just was.
   */
  private CompletableFuture<Boolean> markCaughtUp(WatchedServer server, int epoch, boolean resynced) {
    String instance = server.instanceId();
    // Fresh record counts first, so status shows them as soon as the server is caught up.
    return server.refreshInfo().thenCompose(counted -> {
      server.caughtUp(epoch);
      if (instance == null) {
        return CompletableFuture.completedFuture((Resp) null);
      }
      try {
        return server.send(ServerRequests.vcaughtup(instance, resynced));
      } catch (RuntimeException e) {
        return CompletableFuture.<Resp>failedFuture(e);
      }
    }).handle((reply, error) -> {
      if (error != null || reply instanceof Resp.Error) {
        log.debug("{} not marked caught up: {}", server.address(), error != null ? error.toString() : reply);
        return false;
      }
      return true;
    });
  }

  @Override
  public void close() {
    closed = true;
    resyncs.close();
    jobs.close();
  }
}
