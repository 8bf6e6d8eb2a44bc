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
 * {@code CLIENT}: instance id, start time, connected clients (admitted up to a maximum, the
 * cluster's connections apart), and totals. Thread-safe.
 */
final class ServerStats {
  /*
   * The cluster's connections (authenticated as user cluster) are never refused for the clients'
   * --max-clients: they are counted apart, and when the clients fill every slot a new connection
   * may still take one of RESERVED_FOR_CLUSTER reserve slots, on condition that its first request
   * authenticates it as cluster (within RESERVE_DEADLINE_SECONDS; otherwise it gets the clients'
   * "max number of clients reached" and is closed). A connection that authenticates as cluster
   * from a client slot frees that slot.
   */
  static final int RESERVED_FOR_CLUSTER = 32;
  static final int RESERVE_DEADLINE_SECONDS = 10;

  /** What a connection is counted as. */
  enum Slot { CLIENT, CLUSTER, RESERVE }

  private final String instanceId;
  private final long startMillis;
  private final int maxClients;
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger clients = new AtomicInteger();
  private final AtomicInteger cluster = new AtomicInteger();
  private final AtomicInteger reserve = new AtomicInteger();
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

  /**
   * Registers {@code session} as a client unless {@code maxClients} clients are connected; then,
   * when {@code reserveOpen}, into the cluster's reserve if it has room; else refuses (null).
   */
  Slot admit(Session session, boolean reserveOpen) {
    totalConnections.incrementAndGet();
    Slot slot = null;
    if (clients.incrementAndGet() <= maxClients) {
      slot = Slot.CLIENT;
    } else {
      clients.decrementAndGet();
      if (reserveOpen && reserve.incrementAndGet() <= RESERVED_FOR_CLUSTER) {
        slot = Slot.RESERVE;
      } else if (reserveOpen) {
        reserve.decrementAndGet();
      }
    }
    if (slot == null) {
      rejectedConnections.incrementAndGet();
      return null;
    }
    session.slot(slot);
    connected.incrementAndGet();
    sessions.put(session.id(), session);
    return slot;
  }

  /** Counts {@code session} as the cluster's or, when it authenticated again as another user, a client's. */
  void classify(Session session, boolean asCluster) {
    Slot from = session.slot();
    Slot to = asCluster ? Slot.CLUSTER : from == Slot.CLUSTER ? Slot.CLIENT : from;
    if (to != from) {
      counter(to).incrementAndGet();
      counter(from).decrementAndGet();
      session.slot(to);
    }
  }

  void leave(Session session) {
    if (sessions.remove(session.id()) != null) {
      connected.decrementAndGet();
      counter(session.slot()).decrementAndGet();
    }
  }

  private AtomicInteger counter(Slot slot) {
    return switch (slot) {
      case CLIENT -> clients;
      case CLUSTER -> cluster;
      case RESERVE -> reserve;
    };
  }

  /** Connections authenticated as the cluster's user. */
  int clusterConnections() {
    return cluster.get();
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
