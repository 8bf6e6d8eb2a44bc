package kv.broker.health;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.ServerStatus;
import kv.broker.transport.Connection;
import kv.broker.transport.Connector;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server as the broker sees it: its connection while UP, its {@link ServerState} (UP or DOWN
 * as its {@link FailureDetector} decides, since when, instance id, records, restarts) and whether its
 * answers are trusted ({@link Trust}, while it catches up). Tells the {@link ServerEvents} listener
 * when it is UP. Thread-safe: state changes under the object's lock, never while sending.
 */
public final class WatchedServer implements Server {
  private static final Logger log = LoggerFactory.getLogger(WatchedServer.class);

  private final ServerAddress address;
  private final ServerEvents events;
  private final LongSupplier nanoTime;
  private final FailureDetector detector;
  private final CompletableFuture<Void> firstContact = new CompletableFuture<>();
  /** Catching up from an UP transition that needs it until {@link #caughtUp} of that epoch. */
  private final Trust trust;
  /** The hints other servers are known to hold for this one (shared by every server of the engine). */
  private final OwedHints owed;
  /** The connection while UP, else null: the fast path of {@link #send} and {@link #isUp}. */
  private volatile Connection live;
  private final LogWritability serverLog;

  // Guarded by this.
  private final ServerState state;
  private Connection connection;
  private int epoch;
  private boolean closed;
  /** Completes when the server is not UP, or UP and {@link #comparedOnce}; replaced while it is not. */
  private CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);

  /**
   * @param events told when the server is UP (the catch-up)
   * @param nanoTime the clock of heartbeats and silences ({@code System::nanoTime}; tests drive their own)
   * @param owed what the engine knows of the hints servers hold for each other
   */
  public WatchedServer(ServerAddress address, Connector connector, ScheduledExecutorService scheduler, BrokerConfig config,
      ServerEvents events, LongSupplier nanoTime, OwedHints owed) {
    this.address = address;
    this.events = events;
    this.nanoTime = nanoTime;
    this.owed = owed;
    this.trust = new Trust(address);
    this.serverLog = new LogWritability(address);
    this.state = new ServerState(address, nanoTime.getAsLong());
    this.detector = new FailureDetector(this, connector, scheduler, config, nanoTime);
  }

  /** Starts connecting and the heartbeat. */
  public void start() {
    detector.start();
  }

  /** Completes when the first connection attempt has ended either way (UP or DOWN). */
  public CompletableFuture<Void> firstContact() {
    return firstContact;
  }

  @Override
  public ServerAddress address() {
    return address;
  }

  @Override
  public boolean isUp() {
    return live != null;
  }

  @Override
  public CompletableFuture<Resp> send(List<byte[]> args) {
    Connection c = live;
    if (c == null) {
      return CompletableFuture.failedFuture(new TransportException("server is down"));
    }
    return c.send(args);
  }

  @Override
  public boolean catchingUp() {
    return trust.catchingUp() || owed.isOwed(address);
  }

  @Override
  public boolean trustedFor(List<ServerAddress> replicas) {
    return trust.trustedFor(replicas) && !owed.owedByAny(address, replicas);
  }

  /** Whether its own catch-up (a restart, a first sight before any broker marked it caught up) is still running. */
  public boolean comparing() {
    return trust.catchingUp();
  }

  @Override
  public boolean writable() {
    return live != null && serverLog.writable();
  }

  @Override
  public void logRefused(String reason) {
    serverLog.refused(reason);
  }

  @Override
  public synchronized String instanceId() {
    return state.instanceId();
  }

  /** Not catching up, or a resync has compared it with at least one other server. */
  public boolean comparedOnce() {
    return trust.comparedOnce();
  }

  /** Completes once the server is not UP, or is UP and {@link #comparedOnce} (then for as long as it stays so). */
  public synchronized CompletableFuture<Void> comparedOnceOrDown() {
    return settled;
  }

  /** Records the servers a resync of {@code upEpoch} has compared this one with (ignored if stale). */
  public synchronized void verified(int upEpoch, Set<ServerAddress> peers) {
    if (upEpoch == epoch && state.isUp()) {
      trust.verified(peers);
      settle();
    }
  }

  /** Trusted again: the catch-up of {@code upEpoch} finished (ignored if the server went down since). */
  public synchronized void caughtUp(int upEpoch) {
    if (upEpoch == epoch && state.isUp() && trust.finish()) {
      log.info("server {} is caught up", address);
      settle();
    }
  }

  /** The current UP period (incremented at every UP transition and restart). */
  public synchronized int epoch() {
    return epoch;
  }

  /** Whether the UP period {@code upEpoch} is still the current one. */
  public synchronized boolean isCurrent(int upEpoch) {
    return upEpoch == epoch && state.isUp() && !closed;
  }

  /** Asks the server for INFO now (record count, instance id); completes when the reply is in. */
  public CompletableFuture<Void> refreshInfo() {
    Connection c = live;
    if (c == null) {
      return CompletableFuture.completedFuture(null);
    }
    return c.send(ServerRequests.INFO).handle((reply, error) -> {
      if (reply instanceof Resp.Bulk bulk) {
        refresh(c, InfoReply.parse(bulk.text()));
      }
      return null;
    });
  }

  public synchronized ServerStatus status() {
    return state.status(catchingUp());
  }

  /** How many times the server came back with a different instance id (it restarted). */
  synchronized int restarts() {
    return state.restarts();
  }

  public void close() {
    Connection c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      c = connection;
      connection = null;
      live = null;
      settle();
    }
    detector.stop();
    if (c != null) {
      c.close("the broker is closing");
    }
    firstContact.complete(null);
  }

  // The failure detector's side: it decides, this records.

  synchronized boolean isClosed() {
    return closed;
  }

  /** The connection being watched (UP, or still in its handshake), or null. */
  synchronized Connection connection() {
    return connection;
  }

  /** The connection while UP, else null. */
  Connection liveConnection() {
    return live;
  }

  /** A new connection to watch; false when the server is closed (the caller closes it). */
  synchronized boolean adopt(Connection c) {
    if (!closed) {
      connection = c;
    }
    return !closed;
  }

  /** {@code c} answered the INFO handshake: UP, after a first contact, a reconnect or a restart. */
  void up(Connection c, InfoReply info, long now) {
    ServerEvents.Kind kind;
    int upEpoch;
    synchronized (this) {
      if (c != connection || closed) {
        return;
      }
      kind = state.handshake(info, now);
      upEpoch = ++epoch;
      trust.begin(events.mustCatchUp(address, kind, info));
      state.upAt(now);
      live = c;
      serverLog.info(info);
      settle();
    }
    firstContact.complete(null);
    events.info(this, info);
    events.up(this, kind, upEpoch);
  }

  /**
   * DOWN: {@code c} was lost or silent, or (c null) a connection attempt failed. Returns the state
   * before, or null when nothing changed (c is no longer the watched connection, or closed).
   */
  ServerState.State markDown(Connection c, long now) {
    ServerState.State before;
    synchronized (this) {
      if (closed || (c != null && c != connection)) {
        return null;
      }
      if (c != null) {
        connection = null;
        live = null;
      }
      before = state.down(now);
      settle();
    }
    firstContact.complete(null);
    return before;
  }

  /** An INFO reply on {@code c}: the record count, and a restart when the instance id changed. */
  void refresh(Connection c, InfoReply info) {
    int upEpoch;
    synchronized (this) {
      if (c != connection) {
        return;
      }
      serverLog.info(info);
      if (!state.refresh(info)) {
        upEpoch = -1;
      } else {
        upEpoch = ++epoch;
        trust.begin(events.mustCatchUp(address, ServerEvents.Kind.RESTART, info));
        settle();
      }
    }
    events.info(this, info);
    if (upEpoch >= 0) {
      events.up(this, ServerEvents.Kind.RESTART, upEpoch);
    }
  }

  /** Guarded by this. Completes {@link #settled} or starts a new one, as the state now says. */
  private void settle() {
    if (closed || !state.isUp() || trust.comparedOnce()) {
      settled.complete(null); // its only dependents are waiters: nothing runs under this lock
    } else if (settled.isDone()) {
      settled = new CompletableFuture<>();
    }
  }
}
