package kv.broker.eventual;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kv.broker.engine.Outcome;
import kv.clock.VersionOrder;
import kv.record.Limits;
import kv.record.PackedSetReader;
import kv.record.RecordFormatException;
import kv.record.RecordPrinter;

/**
 * What the simulated clients did and were told: every PUT, DELETE and GET with its outcome, and
 * the version each write carried (read off the wire by the network's tap). The final check
 * compares the replicas against it. Not thread-safe (the simulation's one thread).
 */
final class SimHistory {
  enum Kind { PUT, DELETE, GET }

  /** One client operation; {@code version} -1 until its write was seen on the wire. */
  static final class Op {
    final int id;
    final String broker;
    final Kind kind;
    final String key;
    final String text;
    final long start;
    long version = -1;
    Outcome outcome;
    long end = -1;

    Op(int id, String broker, Kind kind, String key, String text, long start) {
      this.id = id;
      this.broker = broker;
      this.kind = kind;
      this.key = key;
      this.text = text;
      this.start = start;
    }

    /** The client was told the write happened. */
    boolean acknowledged() {
      return kind == Kind.PUT ? outcome instanceof Outcome.Written w && w.acknowledged() > 0
          : kind == Kind.DELETE && outcome instanceof Outcome.Deleted;
    }

    @Override
    public String toString() {
      return "#" + id + " " + broker + " " + kind + " " + key + (text == null ? "" : " " + text)
          + (version < 0 ? "" : " v" + version) + " -> " + (outcome == null ? "(no answer)" : outcome);
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private final Map<String, Op> putsByText = new HashMap<>();
  /** The operation each broker has in flight on each key (one at most). */
  private final Map<String, Op> inFlight = new HashMap<>();
  private int next;
  /** For each purged tombstone (key@version): the id of the first operation issued after its first purge. */
  private final Map<String, Integer> purges = new HashMap<>();

  Op begin(String broker, Kind kind, String key, long now) {
    String text = kind == Kind.PUT ? "{ \"op\" : " + next + " ; \"by\" : \"" + broker + "\" }" : null;
    Op op = new Op(next++, broker, kind, key, text, now);
    ops.add(op);
    if (text != null) {
      putsByText.put(text, op);
    }
    inFlight.put(broker + " " + key, op);
    return op;
  }

  void end(Op op, Outcome outcome, long now) {
    op.outcome = outcome;
    op.end = now;
    inFlight.remove(op.broker + " " + op.key, op);
  }

  boolean busy(String broker, String key) {
    return inFlight.containsKey(broker + " " + key);
  }

  /** A broker gone: its operations in flight will never be answered. */
  void forget(String broker) {
    inFlight.keySet().removeIf(k -> k.startsWith(broker + " "));
  }

  /** A client write on the wire (VPUT or VDEL with WITHVERSION): its version. */
  void sent(SimNetwork.Sent sent) {
    String command = new String(sent.args().get(0), StandardCharsets.US_ASCII);
    boolean client = false;
    boolean packed = false;
    for (byte[] a : sent.args()) {
      client |= new String(a, StandardCharsets.UTF_8).equals("WITHVERSION");
      packed |= new String(a, StandardCharsets.UTF_8).equals("PACKED");
    }
    if (!client) {
      return;
    }
    String key = new String(sent.args().get(1), StandardCharsets.UTF_8);
    long version = Long.parseLong(new String(sent.args().get(2), StandardCharsets.US_ASCII));
    if (command.equals("VPUT")) {
      Op op = putsByText.get(packed ? printed(sent.args().get(3)) : new String(sent.args().get(3), StandardCharsets.UTF_8));
      if (op != null) {
        op.version = version;
      }
    } else if (command.equals("VDEL")) {
      Op op = inFlight.get(sent.broker() + " " + key);
      if (op != null && op.kind == Kind.DELETE) {
        op.version = version;
      }
    }
  }

  /** The canonical text of a packed set the broker sent ({@code VPUT ... PACKED}). */
  private static String printed(byte[] packed) {
    try {
      return RecordPrinter.print(PackedSetReader.read(packed, Limits.DEFAULT));
    } catch (RecordFormatException e) {
      throw new AssertionError("the broker sent a packed set the server's reader refuses: " + e.getMessage(), e);
    }
  }

  /** A server purged the tombstone of {@code key} at {@code version}. */
  void purged(String key, long version) {
    purges.putIfAbsent(key + "@" + version, next);
  }

  /**
   * Whether {@code write} was issued after a server purged the tombstone {@code delete} left: then
   * the delete no longer orders it, and an older version (a broker whose clock is behind) may
   * rightly be taken: a new record, not the deleted one back. (A write issued before the purge and
   * arriving after it is the grace's documented limit, and still counts against the delete.)
   */
  boolean issuedAfterPurgeOf(Op write, Op delete) {
    Integer first = purges.get(delete.key + "@" + delete.version);
    return delete.kind == Kind.DELETE && first != null && write.id >= first;
  }

  List<Op> ops() {
    return ops;
  }

  /** The operations on {@code key}, in issue order. */
  List<Op> on(String key) {
    List<Op> list = new ArrayList<>();
    for (Op op : ops) {
      if (op.key.equals(key)) {
        list.add(op);
      }
    }
    return list;
  }

  Op putOf(String text) {
    return putsByText.get(text);
  }

  /** Counts for the summary: acknowledged writes, and per outcome type. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Op op : ops) {
      String name = op.kind + " " + (op.outcome == null ? "no answer" : op.outcome.getClass().getSimpleName());
      counts.merge(name, 1, Integer::sum);
    }
    return counts;
  }

  /** Whether write {@code a} wins over write {@code b} as the servers decide (VersionOrder). */
  static boolean wins(long version, String text, long otherVersion, String otherText) {
    return VersionOrder.compare(version, text, otherVersion, otherText) > 0;
  }
}
