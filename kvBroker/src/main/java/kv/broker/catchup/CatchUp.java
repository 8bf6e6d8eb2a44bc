package kv.broker.catchup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.transport.InfoReply;
import kv.broker.transport.ServerEvents;
import kv.broker.transport.TransportException;
import kv.broker.transport.WatchedServer;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a server up to date when it is UP again: replays the hints the broker kept for it
 * ({@link HintReplay}) and, when hints are not enough (it restarted and lost data, its hints
 * overflowed, or it is empty when the broker first sees it), resyncs it from the other servers
 * ({@link Resync}). A server flagged as catching up is trusted again only when this finishes; an
 * incomplete resync is retried with backoff. All work runs on one thread of its own; the events
 * are thread-safe.
 */
public final class CatchUp implements ServerEvents, AutoCloseable {
  /*
   * When is a server trusted? A reconnect: at once, or after its hints are replayed. A restart
   * (new instance id) of a server that kept its data (persistent, not empty, log replayed whole):
   * after its hints are replayed, since it lacks only what it missed while down; then a resync
   * runs in the background (a power cut may have cost it the last fsync interval). A restart that
   * lost data (in memory, empty, or a damaged log tail), overflowed hints, or an empty server at
   * first sight: after a complete resync; until then it is trusted only for the keys whose other
   * replicas the resync has compared it with. A non-empty server seen for the first time (the
   * broker itself restarted, its hints are gone) is trusted at once and resynced in the background.
   */
  private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
  private static final long MAX_RETRY_MILLIS = 30_000;
  private static final long BACKGROUND_DELAY_MILLIS = 2_000;

  private final HintStore hints;
  private final ScheduledExecutorService scheduler;
  private final long timeoutMillis;
  private final HintReplay replay;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kv-catch-up");
    t.setDaemon(true);
    return t;
  });
  private final Set<ServerAddress> needsResync = ConcurrentHashMap.newKeySet();
  private final Set<ServerAddress> queued = ConcurrentHashMap.newKeySet();
  /** Servers already compared with, per UP period of a server whose resync is incomplete. */
  private final Map<Period, Set<ServerAddress>> reached = new ConcurrentHashMap<>();
  private final AtomicLong copied = new AtomicLong();
  private volatile List<WatchedServer> servers = List.of();
  private volatile Resync resync;

  private record Period(ServerAddress server, int epoch) {}

  public CatchUp(HintStore hints, ScheduledExecutorService scheduler, long timeoutMillis) {
    this.hints = hints;
    this.scheduler = scheduler;
    this.timeoutMillis = timeoutMillis;
    this.replay = new HintReplay(hints, timeoutMillis);
  }

  /** Sets the servers and their placement; called once before any server starts. */
  public void bind(List<WatchedServer> servers, Placement placement, int pageSize) {
    this.servers = List.copyOf(servers);
    this.resync = new Resync(servers, placement, timeoutMillis, pageSize);
  }

  /** Hints replayed so far. */
  public long replayed() {
    return replay.replayed();
  }

  /** Records copied by resyncs so far. */
  public long copied() {
    return copied.get();
  }

  @Override
  public boolean mustCatchUp(ServerAddress server, Kind kind, InfoReply info) {
    boolean lost = !info.keptItsData();
    if ((kind == Kind.RESTART && lost) || (kind == Kind.FIRST && info.records() <= 0 && lost)) {
      needsResync.add(server);
    }
    return needsResync.contains(server) || hints.pending(server);
  }

  @Override
  public void up(WatchedServer server, Kind kind, int epoch) {
    if (kind == Kind.FIRST && !server.catchingUp()) {
      // Trusted already; the background check waits a little so short runs (-c, scripts) skip it.
      retryLater(server, kind, epoch, BACKGROUND_DELAY_MILLIS / 2);
    } else {
      submit(server, kind, epoch, 0);
    }
    // Another server being back may let a pending resync finish.
    for (WatchedServer other : servers) {
      if (other != server && other.isUp() && other.catchingUp()) {
        submit(other, Kind.RECONNECT, other.epoch(), 0);
      }
    }
  }

  /** A hint was kept for a server that is UP: replays it (and any others) now. */
  public void hinted(ServerAddress address) {
    for (WatchedServer server : servers) {
      if (server.address().equals(address) && server.isUp()) {
        submit(server, Kind.RECONNECT, server.epoch(), 0);
      }
    }
  }

  /** Runs a pending catch-up of every UP server that is still catching up, now. */
  public void retryPending() {
    for (WatchedServer server : servers) {
      if (server.isUp() && server.catchingUp()) {
        submit(server, Kind.RECONNECT, server.epoch(), 0);
      }
    }
  }

  private void submit(WatchedServer server, Kind kind, int epoch, long retryMillis) {
    if (!queued.add(server.address())) {
      return;
    }
    try {
      worker.execute(() -> {
        queued.remove(server.address());
        run(server, kind, epoch, retryMillis);
      });
    } catch (RejectedExecutionException e) {
      queued.remove(server.address());
    }
  }

  private void run(WatchedServer server, Kind kind, int epoch, long retryMillis) {
    ServerAddress address = server.address();
    try {
      if (!server.isCurrent(epoch)) {
        return;
      }
      HintStore.Drained drained = hints.drain(address);
      if (drained.overflowed()) {
        needsResync.add(address);
      }
      if (!replay.replay(server, new ArrayList<>(drained.hints().values()))) {
        retryLater(server, kind, epoch, retryMillis);
        return;
      }
      boolean strict = needsResync.contains(address);
      if (strict) {
        if (!resync(server, kind, epoch, retryMillis)) {
          return;
        }
        needsResync.remove(address);
      }
      if (hints.pending(address)) {
        submit(server, kind, epoch, 0); // writes it missed meanwhile
        return;
      }
      refreshRecords(server);
      server.caughtUp(epoch);
      if (!strict && (kind == Kind.FIRST || kind == Kind.RESTART)) {
        resync(server, kind, epoch, retryMillis); // in the background: the server is trusted already
      }
    } catch (Resync.Aborted e) {
      log.info("catch-up of {} stopped: {}", address, e.getMessage());
      retryLater(server, kind, epoch, retryMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("catch-up of {} failed", address, e);
      retryLater(server, kind, epoch, retryMillis);
    }
  }

  /** Fresh record counts first, so {@code status} shows them as soon as the server is caught up. */
  private void refreshRecords(WatchedServer server) throws InterruptedException {
    try {
      server.refreshInfo().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.debug("no fresh record count from {}: {}", server.address(), TransportException.reason(e));
    }
  }

  /** One resync pass over the servers not compared yet in this UP period; false (retry scheduled) if incomplete. */
  private boolean resync(WatchedServer server, Kind kind, int epoch, long retryMillis)
      throws Resync.Aborted, InterruptedException {
    ServerAddress address = server.address();
    Set<ServerAddress> done = reached.getOrDefault(new Period(address, epoch), Set.of());
    Resync.Result result = resync.run(server, done, () -> server.isCurrent(epoch));
    copied.addAndGet(result.copied());
    reached.keySet().removeIf(p -> p.server().equals(address));
    if (result.copied() > 0 || !result.complete()) {
      log.info("resync of {}: {} keys compared, {} copied{}", address, result.compared(), result.copied(),
          result.complete() ? "" : " (incomplete: not every other server could be read; will retry)");
    } else {
      log.debug("resync of {}: {} keys compared, nothing to copy", address, result.compared());
    }
    if (!result.complete()) {
      reached.put(new Period(address, epoch), result.reached());
      server.verified(epoch, result.reached());
      retryLater(server, kind, epoch, retryMillis);
      return false;
    }
    return true;
  }

  private void retryLater(WatchedServer server, Kind kind, int epoch, long previousMillis) {
    long delay = previousMillis == 0 ? 500 : Math.min(previousMillis * 2, MAX_RETRY_MILLIS);
    try {
      scheduler.schedule(() -> {
        if (server.isCurrent(epoch)) {
          submit(server, kind, epoch, delay);
        }
      }, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("no retry of the catch-up of {}: shutting down", server.address());
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
