package kv.broker.health;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kv.cluster.ServerAddress;

/**
 * What this broker knows of the hints servers hold for each other: from their INFO
 * ({@code hinted_servers}) and from the hints its own writes left. A server owed writes by a
 * holder is not believed alone for the keys it shares with that holder until the holder's hints
 * for it were replayed. Reads are lock-free (one immutable snapshot); changes take the lock.
 */
public final class OwedHints {
  /*
   * Knowledge only grows from INFO (a report of 0 is not trusted to clear it: an INFO sent before
   * one of this broker's writes left a hint may arrive after it) and shrinks only when a replay
   * here found the holder's list empty. A generation per (holder, target) pair tells a replay that
   * a hint was added while it ran, so it does not clear what it did not see. Snapshots are
   * insertion-ordered copies (not Set.copyOf, whose order changes from one JVM to the next), so a
   * seeded simulation replays exactly.
   */
  private record Pair(ServerAddress holder, ServerAddress target) {}

  /** Target -> the servers known to hold hints for it. */
  private volatile Map<ServerAddress, Set<ServerAddress>> owed = Map.of();
  // Guarded by this.
  private final Map<Pair, Long> generations = new HashMap<>();
  /** The last count each holder's INFO gave for each target (for status only). */
  private final Map<Pair, Long> counts = new HashMap<>();

  /** Whether some server is known to hold hints for {@code target}. */
  public boolean isOwed(ServerAddress target) {
    return owed.containsKey(target);
  }

  /** Whether one of {@code holders} (other than the target) is known to hold hints for {@code target}. */
  public boolean owedByAny(ServerAddress target, List<ServerAddress> holders) {
    Set<ServerAddress> known = owed.get(target);
    if (known == null) {
      return false;
    }
    for (ServerAddress holder : holders) {
      if (!holder.equals(target) && known.contains(holder)) {
        return true;
      }
    }
    return false;
  }

  /** The servers known to hold hints for {@code target}. */
  public Set<ServerAddress> holders(ServerAddress target) {
    return owed.getOrDefault(target, Set.of());
  }

  /** The targets {@code holder} is known to hold hints for. */
  public synchronized Set<ServerAddress> targetsOf(ServerAddress holder) {
    Set<ServerAddress> targets = new LinkedHashSet<>();
    owed.forEach((target, holders) -> {
      if (holders.contains(holder)) {
        targets.add(target);
      }
    });
    return targets;
  }

  /** A write of this broker left hints for {@code target} on {@code holder}. */
  public synchronized void added(ServerAddress holder, ServerAddress target) {
    generations.merge(new Pair(holder, target), 1L, Long::sum);
    put(holder, target);
  }

  /**
   * {@code holder}'s INFO named {@code targets} with how many hints it holds for each; returns the
   * targets new to this broker.
   */
  public synchronized Set<ServerAddress> reported(ServerAddress holder, Map<ServerAddress, Long> targets) {
    counts.keySet().removeIf(pair -> pair.holder().equals(holder));
    targets.forEach((target, n) -> counts.put(new Pair(holder, target), n));
    Set<ServerAddress> fresh = new LinkedHashSet<>();
    for (ServerAddress target : targets.keySet()) {
      if (!target.equals(holder) && !holders(target).contains(holder)) {
        generations.merge(new Pair(holder, target), 1L, Long::sum);
        put(holder, target);
        fresh.add(target);
      }
    }
    return fresh;
  }

  /**
   * About how many hints the servers known to hold some for {@code target} hold (their last INFO;
   * at least one each), for {@code status}.
   */
  public synchronized long count(ServerAddress target) {
    long n = 0;
    for (ServerAddress holder : holders(target)) {
      n += Math.max(1, counts.getOrDefault(new Pair(holder, target), 0L));
    }
    return n;
  }

  /** The generation of the pair, to hand back to {@link #drained}. */
  public synchronized long generation(ServerAddress holder, ServerAddress target) {
    return generations.getOrDefault(new Pair(holder, target), 0L);
  }

  /**
   * A replay found no hints left on {@code holder} for {@code target}: forgotten, unless hints were
   * added since {@code generation}. Returns whether it was.
   */
  public synchronized boolean drained(ServerAddress holder, ServerAddress target, long generation) {
    if (generations.getOrDefault(new Pair(holder, target), 0L) != generation) {
      return false;
    }
    counts.remove(new Pair(holder, target));
    Set<ServerAddress> known = owed.get(target);
    if (known == null || !known.contains(holder)) {
      return true;
    }
    Map<ServerAddress, Set<ServerAddress>> next = new LinkedHashMap<>(owed);
    Set<ServerAddress> rest = new LinkedHashSet<>(known);
    rest.remove(holder);
    if (rest.isEmpty()) {
      next.remove(target);
    } else {
      next.put(target, Collections.unmodifiableSet(rest));
    }
    owed = Collections.unmodifiableMap(next);
    return true;
  }

  private void put(ServerAddress holder, ServerAddress target) {
    Set<ServerAddress> known = owed.getOrDefault(target, Set.of());
    if (known.contains(holder)) {
      return;
    }
    Set<ServerAddress> more = new LinkedHashSet<>(known);
    more.add(holder);
    Map<ServerAddress, Set<ServerAddress>> next = new LinkedHashMap<>(owed);
    next.put(target, Collections.unmodifiableSet(more));
    owed = Collections.unmodifiableMap(next);
  }
}
