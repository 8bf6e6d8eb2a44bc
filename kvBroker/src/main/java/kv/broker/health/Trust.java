package kv.broker.health;

import java.util.List;
import java.util.Set;
import kv.cluster.ServerAddress;

/**
 * Whether the broker believes one server's answers: a server catching up (restarted, or missed
 * writes while down) is trusted only for the keys whose other replicas its resync has already
 * compared it with. Published through one volatile snapshot, so reads never lock. Thread-safe.
 */
final class Trust {
  private record Snapshot(boolean catchingUp, Set<ServerAddress> verified) {}

  private static final Snapshot TRUSTED = new Snapshot(false, Set.of());

  private final ServerAddress self;
  private volatile Snapshot state = TRUSTED;

  Trust(ServerAddress self) {
    this.self = self;
  }

  /** A new UP period: trusted at once, or catching up with nothing compared yet. */
  void begin(boolean catchingUp) {
    state = catchingUp ? new Snapshot(true, Set.of()) : TRUSTED;
  }

  /** The resync has compared the server with {@code peers} (its latest view; only while catching up). */
  void verified(Set<ServerAddress> peers) {
    Snapshot s = state;
    if (s.catchingUp()) {
      state = new Snapshot(true, Set.copyOf(peers));
    }
  }

  /** Caught up: trusted for every key. Returns whether it was catching up. */
  boolean finish() {
    boolean was = state.catchingUp();
    state = TRUSTED;
    return was;
  }

  boolean catchingUp() {
    return state.catchingUp();
  }

  /** Not catching up, or compared with at least one other server. */
  boolean comparedOnce() {
    Snapshot s = state;
    return !s.catchingUp() || !s.verified().isEmpty();
  }

  /** Whether the server's answer is authoritative for a key with these replicas (with k = 1: always, no one else has it). */
  boolean trustedFor(List<ServerAddress> replicas) {
    Snapshot s = state;
    if (!s.catchingUp()) {
      return true;
    }
    for (ServerAddress replica : replicas) {
      if (!replica.equals(self) && !s.verified().contains(replica)) {
        return false;
      }
    }
    return true;
  }
}
