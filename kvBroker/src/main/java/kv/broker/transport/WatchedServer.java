package kv.broker.transport;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.ServerStatus;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server as the broker sees it, and its failure detector: keeps one connection open, reads
 * INFO on every (re)connect (instance id, records), sends a heartbeat (PING, and INFO now and
 * then), marks the server DOWN on a refused or lost connection or when it owes replies and sends
 * nothing for the timeout ({@link Connection#silentNanos}), reconnects with capped exponential
 * backoff and marks it UP when it answers again. Transitions are logged. Thread-safe: state
 * changes under the object's lock, never while sending.
 */
public final class WatchedServer implements Server {
  private static final Logger log = LoggerFactory.getLogger(WatchedServer.class);

  private enum State { STARTING, UP, DOWN }

  private final ServerAddress address;
  private final Connector connector;
  private final ScheduledExecutorService scheduler;
  private final BrokerConfig config;
  private final Heartbeat heartbeat;
  private final ServerEvents events;
  private final CompletableFuture<Void> firstContact = new CompletableFuture<>();
  /** Catching up from an UP transition that needs it until {@link #caughtUp} of that epoch. */
  private final Trust trust;
  /** The connection while UP, else null: the fast path of {@link #send} and {@link #isUp}. */
  private volatile Connection live;

  // Guarded by this.
  private final Backoff backoff;
  private State state = State.STARTING;
  private Connection connection;
  private Instant since = Instant.now();
  private long sinceNanos = System.nanoTime();
  private String instanceId;
  private long records = -1;
  private int restarts;
  private int epoch;
  private boolean closed;
  private ScheduledFuture<?> ticker;

  public WatchedServer(ServerAddress address, Connector connector, ScheduledExecutorService scheduler, BrokerConfig config) {
    this(address, connector, scheduler, config, ServerEvents.NONE);
  }

  public WatchedServer(ServerAddress address, Connector connector, ScheduledExecutorService scheduler, BrokerConfig config,
      ServerEvents events) {
    this.events = events;
    this.trust = new Trust(address);
    this.address = address;
    this.connector = connector;
    this.scheduler = scheduler;
    this.config = config;
    this.backoff = new Backoff(config);
    this.heartbeat = new Heartbeat(config);
  }

  /** Starts connecting and the heartbeat. */
  public void start() {
    long period = Math.max(5, Math.min(config.heartbeatInterval().toMillis(), config.timeout().toMillis() / 4));
    synchronized (this) {
      ticker = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }
    connect();
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
    return trust.catchingUp();
  }

  @Override
  public boolean trustedFor(List<ServerAddress> replicas) {
    return trust.trustedFor(replicas);
  }

  /** Not catching up, or a resync has compared it with at least one other server. */
  public boolean comparedOnce() {
    return trust.comparedOnce();
  }

  /** Records the servers a resync of {@code upEpoch} has compared this one with (ignored if stale). */
  public synchronized void verified(int upEpoch, Set<ServerAddress> peers) {
    if (upEpoch == epoch && state == State.UP) {
      trust.verified(peers);
    }
  }

  /** Trusted again: the catch-up of {@code upEpoch} finished (ignored if the server went down since). */
  public synchronized void caughtUp(int upEpoch) {
    if (upEpoch == epoch && state == State.UP && trust.finish()) {
      log.info("server {} is caught up", address);
    }
  }

  /** The current UP period (incremented at every UP transition and restart). */
  public synchronized int epoch() {
    return epoch;
  }

  /** Whether the UP period {@code upEpoch} is still the current one. */
  public synchronized boolean isCurrent(int upEpoch) {
    return upEpoch == epoch && state == State.UP && !closed;
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
    return new ServerStatus(address.toString(), state == State.UP, since, records, instanceId, state == State.UP && trust.catchingUp());
  }

  /** How many times the server came back with a different instance id (it restarted). */
  synchronized int restarts() {
    return restarts;
  }

  public void close() {
    Connection c;
    ScheduledFuture<?> t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      c = connection;
      connection = null;
      live = null;
      t = ticker;
    }
    if (t != null) {
      t.cancel(false);
    }
    if (c != null) {
      c.close("the broker is closing");
    }
    firstContact.complete(null);
  }

  private void connect() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    CompletableFuture<Connection> attempt;
    try {
      attempt = connector.connect(address, config.timeout());
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((c, error) -> {
      if (error != null) {
        connectFailed(TransportException.reason(error));
      } else {
        connected(c);
      }
    });
  }

  private void connected(Connection c) {
    boolean wasClosed;
    synchronized (this) {
      wasClosed = closed;
      if (!closed) {
        connection = c;
      }
    }
    if (wasClosed) {
      c.close();
      return;
    }
    c.closed().thenAccept(cause -> lost(c, TransportException.reason(cause)));
    // The handshake: INFO tells a restart (new instance id) apart from a reconnect.
    c.send(ServerRequests.INFO).whenComplete((reply, error) -> {
      if (error != null) {
        lost(c, TransportException.reason(error));
        c.close();
      } else if (reply instanceof Resp.Bulk bulk) {
        up(c, InfoReply.parse(bulk.text()));
      } else {
        lost(c, "unexpected reply to INFO: " + reply);
        c.close();
      }
    });
  }

  private void up(Connection c, InfoReply info) {
    ServerEvents.Kind kind;
    int upEpoch;
    synchronized (this) {
      if (c != connection || closed) {
        return;
      }
      long now = System.nanoTime();
      String previous = instanceId;
      instanceId = info.instanceId();
      records = info.records();
      heartbeat.reset(now);
      backoff.reset();
      if (state == State.STARTING) {
        log.info("server {} is UP (instance {}, {} records)", address, instanceId, records);
      } else {
        log.info("server {} is UP again after {} s", address, seconds(now - sinceNanos));
      }
      kind = previous == null ? ServerEvents.Kind.FIRST : ServerEvents.Kind.RECONNECT;
      if (previous != null && !Objects.equals(previous, instanceId)) {
        // A restart, not a reconnect: it may have lost data; the catch-up resyncs it.
        restarts++;
        kind = ServerEvents.Kind.RESTART;
        log.warn("server {} restarted (instance {} -> {}, {} records)", address, previous, instanceId, records);
      }
      upEpoch = ++epoch;
      trust.begin(events.mustCatchUp(address, kind, info));
      state = State.UP;
      since = Instant.now();
      sinceNanos = now;
      live = c;
    }
    firstContact.complete(null);
    events.up(this, kind, upEpoch);
  }

  private void lost(Connection c, String reason) {
    synchronized (this) {
      if (c != connection || closed) {
        return;
      }
      connection = null;
      live = null;
      markDown(reason);
      scheduleReconnect();
    }
    firstContact.complete(null);
  }

  private void connectFailed(String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      markDown(reason);
      scheduleReconnect();
    }
    firstContact.complete(null);
  }

  /** Guarded by this. Logs only transitions; failed reconnects of a DOWN server go to debug. */
  private void markDown(String reason) {
    if (state == State.DOWN) {
      log.debug("server {} is still DOWN ({})", address, reason);
      return;
    }
    log.warn("server {} is DOWN ({})", address, reason);
    state = State.DOWN;
    since = Instant.now();
    sinceNanos = System.nanoTime();
  }

  /** Guarded by this. */
  private void scheduleReconnect() {
    long delay = backoff.next();
    try {
      scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("not reconnecting to {}: the scheduler is shutting down", address);
    }
  }

  /** Runs every few hundred ms: drops a connection whose server is silent, sends the heartbeat. */
  private void tick() {
    try {
      long now = System.nanoTime();
      expire();
      sendHeartbeat(now);
    } catch (RuntimeException e) {
      log.warn("heartbeat of server {} failed", address, e);
    }
  }

  /**
   * A server is hung when it owes replies (a request, or the heartbeat that keeps one owed) and
   * sends nothing for the timeout. A server that sends anything, even slowly, is alive; the
   * connection does not count as silence what the broker was too busy to read.
   */
  private void expire() {
    Connection c;
    synchronized (this) {
      c = connection;
    }
    if (c != null && c.silentNanos() >= config.timeout().toNanos()) {
      String reason = "no reply within " + config.timeout().toMillis() + " ms";
      lost(c, reason);
      c.close(reason);
    }
  }

  private void sendHeartbeat(long now) {
    Connection c = live;
    if (c == null) {
      return;
    }
    List<byte[]> request = heartbeat.due(now);
    if (request == null) {
      return;
    }
    c.send(request).whenComplete((reply, error) -> {
      heartbeat.done();
      if (reply instanceof Resp.Bulk bulk) {
        refresh(c, InfoReply.parse(bulk.text()));
      }
    });
  }

  private void refresh(Connection c, InfoReply info) {
    int upEpoch;
    synchronized (this) {
      if (c != connection) {
        return;
      }
      records = info.records();
      if (info.instanceId() == null || Objects.equals(info.instanceId(), instanceId)) {
        return;
      }
      restarts++;
      log.warn("server {} has a new instance id {} (was {}) on the same connection", address, info.instanceId(), instanceId);
      instanceId = info.instanceId();
      upEpoch = ++epoch;
      trust.begin(events.mustCatchUp(address, ServerEvents.Kind.RESTART, info));
    }
    events.up(this, ServerEvents.Kind.RESTART, upEpoch);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
