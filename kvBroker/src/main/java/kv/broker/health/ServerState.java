package kv.broker.health;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import kv.broker.engine.ServerStatus;
import kv.cluster.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker has seen of one server: STARTING, UP or DOWN and since when, the instance id and
 * record count its INFO last gave, and how many times it restarted; logs the transitions (under
 * {@link WatchedServer}'s logger). Not thread-safe: its {@link WatchedServer} guards it.
 */
final class ServerState {
  private static final Logger log = LoggerFactory.getLogger(WatchedServer.class);

  enum State { STARTING, UP, DOWN }

  private final ServerAddress address;
  private State state = State.STARTING;
  private Instant since = Instant.now();
  private long sinceNanos;
  private String instanceId;
  private long records = -1;
  private int restarts;

  ServerState(ServerAddress address, long now) {
    this.address = address;
    this.sinceNanos = now;
  }

  boolean isUp() {
    return state == State.UP;
  }

  String instanceId() {
    return instanceId;
  }

  int restarts() {
    return restarts;
  }

  /**
   * A connection answered the INFO handshake: takes its instance id and record count and tells a
   * first contact, a reconnect (same instance id) and a restart (a new one) apart. The state
   * becomes UP at {@link #upAt}, once the caller has decided the server's trust.
   */
  ServerEvents.Kind handshake(InfoReply info, long now) {
    String previous = instanceId;
    instanceId = info.instanceId();
    records = info.records();
    if (state == State.STARTING) {
      log.info("server {} is UP (instance {}, {} records)", address, instanceId, records);
    } else {
      log.info("server {} is UP again after {} s", address, String.format(Locale.ROOT, "%.1f", (now - sinceNanos) / 1e9));
    }
    if (previous == null) {
      return ServerEvents.Kind.FIRST;
    }
    if (!Objects.equals(previous, instanceId)) {
      // A restart, not a reconnect: it may have lost data; the catch-up resyncs it.
      restarts++;
      log.warn("server {} restarted (instance {} -> {}, {} records)", address, previous, instanceId, records);
      return ServerEvents.Kind.RESTART;
    }
    return ServerEvents.Kind.RECONNECT;
  }

  /** UP from {@code now}. */
  void upAt(long now) {
    state = State.UP;
    since = Instant.now();
    sinceNanos = now;
  }

  /** DOWN from {@code now} (unless it already was); returns the state before. */
  State down(long now) {
    State before = state;
    if (state != State.DOWN) {
      state = State.DOWN;
      since = Instant.now();
      sinceNanos = now;
    }
    return before;
  }

  /**
   * An INFO reply while UP: the record count, and whether the instance id changed (a restart on
   * the same connection, counted and logged).
   */
  boolean refresh(InfoReply info) {
    records = info.records();
    if (info.instanceId() == null || Objects.equals(info.instanceId(), instanceId)) {
      return false;
    }
    restarts++;
    log.warn("server {} has a new instance id {} (was {}) on the same connection", address, info.instanceId(),
        instanceId);
    instanceId = info.instanceId();
    return true;
  }

  ServerStatus status(boolean catchingUp) {
    boolean up = state == State.UP;
    return new ServerStatus(address.toString(), up, since, records, instanceId, up && catchingUp);
  }
}
