package kv.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Identity and counters of one running server for {@code INFO}, {@code HELLO} and
 * {@code CLIENT}: instance id, start time, connected clients (admitted up to a maximum), and
 * totals. Thread-safe.
 */
final class ServerStats {
  private final String instanceId;
  private final long startMillis;
  private final int maxClients;
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong nextClientId = new AtomicLong(1);
  private final AtomicLong totalConnections = new AtomicLong();
  private final AtomicLong rejectedConnections = new AtomicLong();
  private final LongAdder totalCommands = new LongAdder();
  private final AtomicLong pendingRequestBytes = new AtomicLong();
  private final AtomicLong unsentReplyBytes = new AtomicLong();
  private final AtomicLong closedForLimits = new AtomicLong();
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();

  ServerStats(String instanceId, long startMillis, int maxClients) {
    this.instanceId = instanceId;
    this.startMillis = startMillis;
    this.maxClients = maxClients;
  }

  String instanceId() {
    return instanceId;
  }

  long startMillis() {
    return startMillis;
  }

  /** A new session id, also for connections that are then rejected. */
  long nextClientId() {
    return nextClientId.getAndIncrement();
  }

  /** Registers {@code session} unless {@code maxClients} are already connected. */
  boolean admit(Session session) {
    totalConnections.incrementAndGet();
    if (connected.incrementAndGet() > maxClients) {
      connected.decrementAndGet();
      rejectedConnections.incrementAndGet();
      return false;
    }
    sessions.put(session.id(), session);
    return true;
  }

  void leave(Session session) {
    if (sessions.remove(session.id()) != null) {
      connected.decrementAndGet();
    }
  }

  void commandProcessed() {
    totalCommands.increment();
  }

  int connectedClients() {
    return connected.get();
  }

  long totalConnections() {
    return totalConnections.get();
  }

  long rejectedConnections() {
    return rejectedConnections.get();
  }

  long totalCommands() {
    return totalCommands.sum();
  }

  /** Adds {@code delta} to the bytes held by partial requests; returns the new total. */
  long addPendingRequestBytes(long delta) {
    return pendingRequestBytes.addAndGet(delta);
  }

  long pendingRequestBytes() {
    return pendingRequestBytes.get();
  }

  void addUnsentReplyBytes(long delta) {
    unsentReplyBytes.addAndGet(delta);
  }

  long unsentReplyBytes() {
    return unsentReplyBytes.get();
  }

  /** A connection closed for passing a limit (pending requests, unread replies, timeouts). */
  void closedForLimit() {
    closedForLimits.incrementAndGet();
  }

  long closedForLimits() {
    return closedForLimits.get();
  }

  /** The connected sessions in id order. */
  List<Session> sessions() {
    Collection<Session> now = sessions.values();
    List<Session> list = new ArrayList<>(now);
    list.sort((a, b) -> Long.compare(a.id(), b.id()));
    return list;
  }
}
