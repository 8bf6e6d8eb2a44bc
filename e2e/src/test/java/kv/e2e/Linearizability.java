package kv.e2e;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
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

  /** States the search may remember per key before it gives up (about 1 GiB of heap for long histories). */
  static final int MAX_STATES = 2_000_000;

  private Linearizability() {}

  /** The first key whose history is not linearizable, with its operations; empty when all are. */
  static Optional<String> check(List<Op> history) {
    return check(history, MAX_STATES);
  }

  /** {@link #check(List)} with another bound on the states remembered per key. */
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

  private static boolean linearizable(List<Op> ops, int maxStates) {
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

    Set<State> cache = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    BitSet linearized = new BitSet(n);
    String register = null;
    Entry entry = head.next;
    while (head.next != null) {
      if (entry.call) {
        Step step = step(register, entry.op);
        if (step.ok()) {
          BitSet next = (BitSet) linearized.clone();
          next.set(entry.id);
          if (cache.add(new State(next, step.register()))) {
            if (cache.size() > maxStates) {
              throw new SearchTooLargeException("the search remembered more than " + maxStates + " states");
            }
            stack.push(new Frame(entry, register));
            register = step.register();
            linearized = next;
            lift(entry);
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        if (stack.isEmpty()) {
          return false;
        }
        Frame top = stack.pop();
        register = top.register();
        linearized.clear(top.entry().id);
        unlift(top.entry());
        entry = top.entry().next;
      }
    }
    return true;
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

  private record Frame(Entry entry, String register) {}

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
