package kv.broker.health;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import kv.broker.config.BrokerConfig;
import kv.broker.transport.Connection;
import kv.broker.transport.Connector;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when one server is DOWN and when it is UP again: connects (the INFO handshake tells a
 * restart from a reconnect), marks the server DOWN on a refused or lost connection or when it owes
 * replies and sends nothing for the timeout ({@link Connection#silentNanos}), sends heartbeats
 * (PING, and INFO now and then) and reconnects with capped exponential {@link Backoff}. The
 * {@link WatchedServer} keeps the state it decides. Thread-safe.
 */
final class FailureDetector {
  private static final Logger log = LoggerFactory.getLogger(FailureDetector.class);

  private final WatchedServer server;
  private final Connector connector;
  private final ScheduledExecutorService scheduler;
  private final BrokerConfig config;
  private final LongSupplier nanoTime;
  private final Heartbeat heartbeat;

  // Guarded by this.
  private final Backoff backoff;
  private ScheduledFuture<?> ticker;
  private boolean stopped;

  FailureDetector(WatchedServer server, Connector connector, ScheduledExecutorService scheduler, BrokerConfig config,
      LongSupplier nanoTime) {
    this.server = server;
    this.connector = connector;
    this.scheduler = scheduler;
    this.config = config;
    this.nanoTime = nanoTime;
    this.heartbeat = new Heartbeat(config);
    this.backoff = new Backoff(config);
  }

  /** Starts connecting and the heartbeat. */
  void start() {
    long period = Math.max(5, Math.min(config.heartbeatInterval().toMillis(), config.timeout().toMillis() / 4));
    synchronized (this) {
      if (stopped) {
        return;
      }
      ticker = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }
    connect();
  }

  /** Stops the heartbeat; a reconnect already scheduled finds the server closed and does nothing. */
  void stop() {
    ScheduledFuture<?> t;
    synchronized (this) {
      stopped = true;
      t = ticker;
    }
    if (t != null) {
      t.cancel(false);
    }
  }

  private void connect() {
    if (server.isClosed()) {
      return;
    }
    CompletableFuture<Connection> attempt;
    try {
      attempt = connector.connect(server.address(), config.timeout());
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((c, error) -> {
      if (error != null) {
        down(null, TransportException.reason(error));
      } else {
        connected(c);
      }
    });
  }

  private void connected(Connection c) {
    if (!server.adopt(c)) {
      c.close();
      return;
    }
    c.closed().thenAccept(cause -> down(c, TransportException.reason(cause)));
    // The handshake: INFO tells a restart (new instance id) apart from a reconnect.
    c.send(ServerRequests.INFO).whenComplete((reply, error) -> {
      if (error != null) {
        down(c, TransportException.reason(error));
        c.close();
      } else if (reply instanceof Resp.Bulk bulk) {
        long now = nanoTime.getAsLong();
        heartbeat.reset(now);
        synchronized (this) {
          backoff.reset();
        }
        server.up(c, InfoReply.parse(bulk.text()), now);
      } else {
        down(c, handshakeRefused(reply));
        c.close();
      }
    });
  }

  /** Why a server answered the INFO handshake with something else than INFO: a password it asks for, or nonsense. */
  private static String handshakeRefused(Resp reply) {
    if (reply instanceof Resp.Error e && (e.text().startsWith("NOAUTH") || e.text().startsWith("NOPERM"))) {
      return "the server requires a password: " + e.text() + " (expected: the cluster's password,"
          + " --admin-password-file FILE or KV_ADMIN_PASSWORD, or the clients', --password-file FILE or KV_PASSWORD)";
    }
    return "unexpected reply to INFO: " + reply;
  }

  /**
   * Marks the server DOWN: its connection {@code c} was lost or silent, or (c null) a connection
   * attempt failed; then schedules the next attempt. Logs only transitions; failed reconnects of a
   * DOWN server go to debug. Nothing happens for a connection the server has already replaced.
   */
  private void down(Connection c, String reason) {
    ServerState.State before = server.markDown(c, nanoTime.getAsLong());
    if (before == null) {
      return;
    }
    if (before == ServerState.State.DOWN) {
      log.debug("server {} is still DOWN ({})", server.address(), reason);
    } else {
      log.warn("server {} is DOWN ({})", server.address(), reason);
    }
    scheduleReconnect();
  }

  private synchronized void scheduleReconnect() {
    long delay = backoff.next();
    try {
      scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("not reconnecting to {}: the scheduler is shutting down", server.address());
    }
  }

  /** Runs every few hundred ms: drops a connection whose server is silent, sends the heartbeat. */
  private void tick() {
    try {
      expire();
      sendHeartbeat(nanoTime.getAsLong());
    } catch (RuntimeException e) {
      log.warn("heartbeat of server {} failed", server.address(), e);
    }
  }

  /**
   * A server is hung when it owes replies (a request, or the heartbeat that keeps one owed) and
   * sends nothing for the timeout. A server that sends anything, even slowly, is alive; the
   * connection does not count as silence what the broker was too busy to read.
   */
  private void expire() {
    Connection c = server.connection();
    if (c != null && c.silentNanos() >= config.timeout().toNanos()) {
      String reason = "no reply within " + config.timeout().toMillis() + " ms";
      down(c, reason);
      c.close(reason);
    }
  }

  private void sendHeartbeat(long now) {
    Connection c = server.liveConnection();
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
        server.refresh(c, InfoReply.parse(bulk.text()));
      }
    });
  }
}
