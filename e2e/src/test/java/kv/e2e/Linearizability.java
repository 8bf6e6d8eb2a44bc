package kv.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A linearizability checker for histories of registers (one per key: PUT, GET, DELETE), in the
 * style of Wing and Gong with Lowe's memoization (WGL, as Porcupine and Knossos implement it):
 * a depth-first search for an order of the operations that respects real time (an operation
 * that ended before another began comes first) and the register's rules, with a cache of
 * (operations linearized, register value) already explored. Keys are independent, so each key's
 * history is checked alone; a key whose search grows past {@link #MAX_STATES} fails the check as
 * inconclusive rather than running out of memory. Test code; not thread-safe.
 */
final class Linearizability {
  /*
   * An operation whose outcome is unknown (a write answered NOQUORUM or UNKNOWN) may have taken
   * effect at any moment after its call, or never: it gets an end time of "never returned" and
   * any result, so the search may place it anywhere after its call, including after everything
   * else (which is the same as never). Reads that failed have no effect and are left out.
   *
   * Unknown outcomes make a plain search explode (each may have applied at any point or not at
   * all: a failover leaves dozens of them on one key, and every subset of them is a state).
   * Three reductions keep it small without losing a linearization:
   * (1) Lazy: an unknown operation matters only if an operation with a known result observes its
   * effect, and the first such observer can come right after it (nothing between them observes
   * the register, and an unknown operation has no return to respect). So an unknown operation is
   * placed only as the step just before a known operation that fails without it.
   * (2) A value no read returned is only "some record": every such PUT writes one shared token,
   * so registers that differ only in unread values are one state.
   * (3) Unknown operations with the same effect (DELETEs; PUTs of the same value, the token
   * included) are interchangeable, and the one called earlier can stand in for a later one
   * anywhere the later could go: so they are used in the order of their calls only.
   */
  enum Kind { PUT, GET, DELETE }

  /**
   * One operation. {@code value}: PUT's value, GET's result (null: absent). {@code deleted}:
   * DELETE's result (1 or 0). {@code known} false: the outcome is unknown (end ignored).
   */
  record Op(int client, String key, Kind kind, String value, long deleted, long start, long end, boolean known) {
    static Op put(int client, String key, String value, long start, long end, boolean known) {
      return new Op(client, key, Kind.PUT, value, 0, start, end, known);
    }

    static Op get(int client, String key, String result, long start, long end) {
      return new Op(client, key, Kind.GET, result, 0, start, end, true);
    }

    static Op delete(int client, String key, long deleted, long start, long end, boolean known) {
      return new Op(client, key, Kind.DELETE, null, deleted, start, end, known);
    }

    long effectiveEnd() {
      return known ? end : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
      String what = switch (kind) {
        case PUT -> "PUT " + value;
        case GET -> "GET -> " + (value == null ? "(absent)" : value);
        case DELETE -> "DELETE -> " + (known ? Long.toString(deleted) : "?");
      };
      return "client " + client + " " + key + " " + what + " [" + start + ", " + (known ? end : "?") + "]";
    }
  }

  /** States the search may explore per key before it gives up (it keeps at most that many: about 1 GiB of heap). */
  static final int MAX_STATES = 2_000_000;

  private Linearizability() {}

  /** The first key whose history is not linearizable, with its operations; empty when all are. */
  static Optional<String> check(List<Op> history) {
    return check(history, MAX_STATES);
  }

  /** {@link #check(List)} with another bound on the states explored per key. */
  static Optional<String> check(List<Op> history, int maxStates) {
    Map<String, List<Op>> byKey = new LinkedHashMap<>();
    for (Op op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
      boolean ok;
      try {
        ok = linearizable(e.getValue(), maxStates);
      } catch (SearchTooLargeException tooLarge) {
        long unknown = e.getValue().stream().filter(op -> !op.known()).count();
        throw new IllegalStateException("key " + e.getKey() + ": " + tooLarge.getMessage() + " (" + e.getValue().size()
            + " operations, " + unknown + " of unknown outcome); inconclusive", tooLarge);
      }
      if (!ok) {
        List<Op> ops = new ArrayList<>(e.getValue());
        ops.sort(Comparator.comparingLong(Op::start));
        StringBuilder b = new StringBuilder("key " + e.getKey() + " is not linearizable; its " + ops.size()
            + " operations:");
        for (Op op : ops) {
          b.append("\n  ").append(op);
        }
        return Optional.of(b.toString());
      }
    }
    return Optional.empty();
  }

  /** One key's register, starting absent. */
  static boolean linearizable(List<Op> ops) {
    return linearizable(ops, MAX_STATES);
  }

  private static boolean linearizable(List<Op> history, int maxStates) {
    List<Op> ops = withUnreadValuesShared(history);
    int n = ops.size();
    Entry head = new Entry(null, false, Long.MIN_VALUE, -1);
    List<Entry> events = new ArrayList<>(2 * n);
    for (int i = 0; i < n; i++) {
      Op op = ops.get(i);
      Entry call = new Entry(op, true, op.start(), i);
      Entry ret = new Entry(op, false, op.effectiveEnd(), i);
      call.match = ret;
      events.add(call);
      events.add(ret);
    }
    // by time; at equal times calls first, so touching operations count as concurrent
    events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> e.call ? 0 : 1));
    Entry prev = head;
    for (Entry e : events) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
    return new Search(head, earlierOfTheSameEffect(ops), maxStates).from(null, new BitSet(n));
  }

  /**
   * The depth-first search over the candidates (operations called before the first return still
   * to linearize). It is recursive: its depth is at most the number of operations.
   */
  private static final class Search {
    private final Entry head;
    private final int[] standsIn;
    private final int maxStates;
    private final Map<State, List<BitSet>> seen = new HashMap<>();
    private int states;

    private final BitSet unknown = new BitSet();

    Search(Entry head, int[] standsIn, int maxStates) {
      this.head = head;
      this.standsIn = standsIn;
      this.maxStates = maxStates;
      for (Entry e = head.next; e != null; e = e.next) {
        if (!e.op.known()) {
          unknown.set(e.id);
        }
      }
    }

    /** Whether the operations left can be linearized after those in {@code done}, leaving {@code register}. */
    boolean from(String register, BitSet done) {
      Entry firstReturn = head.next;
      while (firstReturn != null && firstReturn.call) {
        firstReturn = firstReturn.next;
      }
      if (firstReturn == null || !firstReturn.op.known()) {
        return true; // every known operation is placed; unknown ones left over never applied
      }
      for (Entry x = head.next; x.call; x = x.next) {
        if (!x.op.known()) {
          continue;
        }
        Step alone = step(register, x.op);
        if (alone.ok()) {
          if (take(null, x, alone.register(), done)) {
            return true;
          }
          continue;
        }
        for (Entry u = head.next; u.call; u = u.next) {
          int earlier = standsIn[u.id];
          if (u.op.known() || (earlier >= 0 && !done.get(earlier))) {
            continue;
          }
          Step after = step(step(register, u.op).register(), x.op);
          if (after.ok() && take(u, x, after.register(), done)) {
            return true;
          }
        }
      }
      return false;
    }

    /* Linearizes x, right after u when u is not null, unless that state was explored already. */
    private boolean take(Entry u, Entry x, String register, BitSet done) {
      BitSet next = (BitSet) done.clone();
      next.set(x.id);
      if (u != null) {
        next.set(u.id);
      }
      if (!firstVisit(next, register)) {
        return false;
      }
      if (++states > maxStates) {
        throw new SearchTooLargeException("the search explored more than " + maxStates + " states");
      }
      if (u != null) {
        lift(u);
      }
      lift(x);
      boolean found = from(register, next);
      unlift(x);
      if (u != null) {
        unlift(u);
      }
      return found;
    }

    /*
     * Whether no state explored before dominates this one: one with the same known operations
     * done and the same register, having used only unknown operations this one used too (so it
     * could do whatever this one can). Such a state is finished, never an ancestor: every step
     * places a known operation. Its search failed, so this one's would.
     */
    private boolean firstVisit(BitSet done, String register) {
      BitSet known = (BitSet) done.clone();
      known.andNot(unknown);
      BitSet used = (BitSet) done.clone();
      used.and(unknown);
      List<BitSet> explored = seen.computeIfAbsent(new State(known, register), s -> new ArrayList<>());
      for (BitSet other : explored) {
        BitSet extra = (BitSet) other.clone();
        extra.andNot(used);
        if (extra.isEmpty()) {
          return false;
        }
      }
      explored.removeIf(other -> {
        BitSet fewer = (BitSet) used.clone();
        fewer.andNot(other);
        return fewer.isEmpty(); // dominated by this one from now on
      });
      explored.add(used);
      return true;
    }
  }

  /** The history with every PUT value that no GET returned replaced by one token no GET returned. */
  private static List<Op> withUnreadValuesShared(List<Op> history) {
    Set<String> read = new HashSet<>();
    for (Op op : history) {
      if (op.kind() == Kind.GET && op.value() != null) {
        read.add(op.value());
      }
    }
    String token = "(a value no read returned)";
    while (read.contains(token)) {
      token += "'";
    }
    List<Op> ops = new ArrayList<>(history.size());
    for (Op op : history) {
      boolean unread = op.kind() == Kind.PUT && !read.contains(op.value());
      ops.add(unread ? Op.put(op.client(), op.key(), token, op.start(), op.end(), op.known()) : op);
    }
    return ops;
  }

  /**
   * For each operation of unknown outcome whose effect another one shares (a DELETE, or a PUT of
   * the shared token), the one of its kind called just before it; -1 for all others.
   */
  private static int[] earlierOfTheSameEffect(List<Op> ops) {
    int[] standsIn = new int[ops.size()];
    Arrays.fill(standsIn, -1);
    Map<String, List<Integer>> byEffect = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (!op.known() && op.kind() != Kind.GET) {
        String effect = op.kind() == Kind.DELETE ? "" : "=" + op.value();
        byEffect.computeIfAbsent(effect, e -> new ArrayList<>()).add(i);
      }
    }
    for (List<Integer> same : byEffect.values()) {
      same.sort(Comparator.comparingLong((Integer i) -> ops.get(i).start()).thenComparing(i -> i));
      for (int j = 1; j < same.size(); j++) {
        standsIn[same.get(j)] = same.get(j - 1);
      }
    }
    return standsIn;
  }

  /** The search grew past {@link #MAX_STATES}: neither a proof nor a counterexample. */
  static final class SearchTooLargeException extends RuntimeException {
    SearchTooLargeException(String message) {
      super(message);
    }
  }

  private record Step(boolean ok, String register) {}

  private static Step step(String register, Op op) {
    switch (op.kind()) {
      case PUT:
        return new Step(true, op.value());
      case GET:
        return new Step(Objects.equals(register, op.value()), register);
      default:
        if (!op.known()) {
          return new Step(true, null);
        }
        return new Step(op.deleted() == (register == null ? 0 : 1), null);
    }
  }

  private record State(BitSet linearized, String register) {}

  private static final class Entry {
    final Op op;
    final boolean call;
    final long time;
    final int id;
    Entry match;
    Entry prev;
    Entry next;

    Entry(Op op, boolean call, long time, int id) {
      this.op = op;
      this.call = call;
      this.time = time;
      this.id = id;
    }
  }

  /* Takes a call and its return out of the list (dancing links: they keep their own pointers). */
  private static void lift(Entry call) {
    call.prev.next = call.next;
    call.next.prev = call.prev;
    Entry ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Entry call) {
    Entry ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    call.next.prev = call;
  }
}
