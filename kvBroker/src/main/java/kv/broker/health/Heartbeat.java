package kv.broker.health;

import java.util.List;
import kv.broker.config.BrokerConfig;
import kv.broker.transport.ServerRequests;

/**
 * When one server's next heartbeat is due and whether it is a PING or an INFO (which refreshes
 * the record count and instance id); at most one heartbeat is pending at a time. Thread-safe.
 */
final class Heartbeat {
  private final long intervalNanos;
  private final long infoIntervalNanos;

  // Guarded by this.
  private boolean pending;
  private long lastHeartbeatNanos;
  private long lastInfoNanos;

  Heartbeat(BrokerConfig config) {
    this.intervalNanos = config.heartbeatInterval().toNanos();
    this.infoIntervalNanos = config.infoInterval().toNanos();
  }

  /** A connection just answered INFO: the next heartbeat and INFO are counted from {@code now}. */
  synchronized void reset(long now) {
    lastHeartbeatNanos = now;
    lastInfoNanos = now;
  }

  /** The heartbeat to send now (then pending until {@link #done}), or null when none is due. */
  synchronized List<byte[]> due(long now) {
    if (pending || now - lastHeartbeatNanos < intervalNanos) {
      return null;
    }
    pending = true;
    lastHeartbeatNanos = now;
    if (now - lastInfoNanos >= infoIntervalNanos) {
      lastInfoNanos = now;
      return ServerRequests.INFO;
    }
    return ServerRequests.PING;
  }

  /** The pending heartbeat was answered or failed. */
  synchronized void done() {
    pending = false;
  }
}
