package kv.server;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kv.clock.HybridLogicalClock;
import kv.record.AppendEntry;
import kv.record.AppendKeys;
import kv.record.SetValue;
import kv.record.Value;
import kv.server.durable.DurableLog;
import kv.server.durable.EntryLog;
import kv.server.durable.EntryVisitor;

/**
 * The values of one server: {@link Entries} (a radix trie over the top-level keys whose entries
 * carry a version and any value, or a tombstone, and each key's APPEND entries) behind a per-key
 * write lock; with a {@link DurableLog} attached, every write is logged before it is applied and
 * acknowledged, and a write the log cannot take is refused unapplied. Thread-safe: reads walk the
 * copy-on-write trie without locks and never block writes; writes to one key are serialised.
 */
final class Store {
  /*
   * Last writer wins by version. Versioned writes (VPUT/VDEL/VAPPEND) carry the writer's hybrid
   * logical clock value and apply only when newer than what is stored, so replaying them is
   * harmless. Plain writes (PUT/DELETE/APPEND/SETVALUE/JSON.*) take a version from this server's
   * own clock, which observes every version seen in a versioned write: a plain write therefore wins
   * over every older replicated write. Tombstones are kept so a stale VPUT cannot resurrect a
   * record, until the broker, once every replica has the delete and a grace period has passed,
   * removes one with VPURGE. APPENDs are entries of their own that converge (see Entries and
   * AppendMerge; ARCHITECTURE.md, "APPEND in eventual mode").
   *
   * Durability: log, then apply, then reply. A write that is not stale is appended to the log
   * (and, under --fsync always, forced) and only then applied to the trie (DurableLog.append runs
   * the apply), so everything the trie holds is in the log as the fsync policy promises:
   *  - a reader never sees, and a stale write is never answered ":0" because of, a write that a
   *    crash (or under always, a power cut) could still lose; a stale write needs no wait;
   *  - a write the log cannot take (a full disk) throws before anything is applied: the client
   *    gets "write refused ...; nothing was applied", and the data stays as it was.
   * An APPEND is logged as its own entry (under its internal name, PUT frame); superseded appends
   * are dropped from memory by the base write and not logged: replay applies the same rules and
   * drops them again, and the next snapshot no longer holds them.
   *
   * Locking: every write takes its key's stripe lock (a user key and its appends share one) from
   * choosing its version to applying it, log included, so a write to one key is atomic with
   * respect to the others on this server: a read-modify-write (JSON.SET at a path, JSON.DEL of a
   * member, APPEND's type check, NX/XX) runs under the same lock (locked()) and cannot lose a
   * concurrent write, and a base write and its appends' removal are one step for other writers.
   * Writes to different keys share the log's group commit; two keys share a stripe by chance
   * (1 in STRIPES), which only serialises their fsyncs under --fsync always.
   */
  static final int STRIPES = 4096;

  private final Entries entries = new Entries();
  private final Object[] stripes = new Object[STRIPES];
  private final Versions clock;
  /** Set once, before the server accepts connections; null: in memory only. */
  private volatile EntryLog log;
  /** Written by replay only (one thread, before the server serves). */
  private long newestAheadAtReplay = -1;

  /**
   * Where plain writes get their versions: this server's hybrid logical clock, or (strong mode,
   * kv.server.Keyspace) the Raft log index of the entry being applied, the same on every member.
   */
  interface Versions {
    /** A version newer than any seen so far. */
    long next();

    /** Takes note of a version written elsewhere (replay, replication); false when it is ignored as too far ahead. */
    boolean observe(long version);

    /** How many milliseconds {@code version} is ahead of this server's wall clock (<= 0: not ahead). */
    long aheadOfWall(long version);

    /** The most a replicated version may be ahead of the wall clock, in milliseconds. */
    long maxAheadMillis();

    /** The versions of a hybrid logical clock. */
    static Versions of(HybridLogicalClock clock) {
      return new Versions() {
        @Override
        public long next() {
          return clock.next();
        }

        @Override
        public boolean observe(long version) {
          return clock.observe(version);
        }

        @Override
        public long aheadOfWall(long version) {
          return clock.aheadOfWall(version);
        }

        @Override
        public long maxAheadMillis() {
          return clock.maxAheadMillis();
        }
      };
    }
  }

  Store(HybridLogicalClock clock) {
    this(Versions.of(clock));
  }

  Store(Versions versions) {
    this.clock = versions;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  /** From now on every applied write is appended to {@code entryLog} before it returns. Once only. */
  void logTo(EntryLog entryLog) {
    if (log != null) {
      throw new IllegalStateException("store: a durable log is already attached");
    }
    log = entryLog;
  }

  /** The attached log, or null when the data is in memory only. */
  EntryLog log() {
    return log;
  }

  /** The attached log when it is a data directory's, else null. */
  DurableLog durableLog() {
    return log instanceof DurableLog durable ? durable : null;
  }

  /** Replay of one logged entry at start (a base write, or an append's entry): applied by version, not logged again. */
  void replayEntry(String key, long version, Value valueOrNull) {
    if (!clock.observe(version) && version > newestAheadAtReplay) {
      newestAheadAtReplay = version;
    }
    entries.replay(key, version, valueOrNull);
  }

  /**
   * The newest version replayed that this server's clock did not observe because it was further
   * ahead of the wall clock than the bound (a version stored before the system clock stepped
   * back, or by a kvServer that had no bound); -1 when there was none.
   */
  long newestAheadAtReplay() {
    return newestAheadAtReplay;
  }

  /** Every stored entry (tombstones and appends included) over one consistent view, for a snapshot. */
  void snapshot(EntryVisitor visitor) {
    entries.snapshot(visitor);
  }

  /** The raw entry under {@code key} (a user key or an append's name), or null when never written. */
  Entry entry(String key) {
    return entries.get(key);
  }

  /** The key's value with its appends merged, or null when absent or deleted. */
  Value get(String key) {
    return entries.value(key);
  }

  /** The key's version (the newest of its base and appends) and merged value; null when never written. */
  Entries.Read read(String key) {
    return entries.read(key);
  }

  /** The stored entries of a user key, raw: its base (tombstone included), then its appends in version order. */
  List<Map.Entry<String, Entry>> stored(String key) {
    return entries.stored(key);
  }

  boolean exists(String key) {
    Entry e = entries.get(key);
    return e != null && e.exists();
  }

  /** Runs {@code body} holding {@code key}'s write lock: writes to the key from it are one atomic step. */
  <T> T locked(String key, Supplier<T> body) {
    synchronized (stripe(key)) {
      return body.get();
    }
  }

  /** Stores {@code value} with a new version of this server's clock; returns that version. */
  long put(String key, Value value) {
    synchronized (stripe(key)) {
      long version = clock.next();
      if (!writeBase(key, version, value)) {
        refuseIfAhead(key, version);
      }
      return version;
    }
  }

  /** Leaves a tombstone over a key that has a value; returns false (and writes nothing) when it has none. */
  boolean delete(String key) {
    synchronized (stripe(key)) {
      if (!exists(key)) {
        return false;
      }
      long version = clock.next();
      boolean applied = writeBase(key, version, null);
      if (!applied) {
        refuseIfAhead(key, version);
      }
      return applied;
    }
  }

  /**
   * Appends {@code element} at {@code path} of {@code key} as an entry of its own, with a new
   * version of this server's clock; returns that version. Whether it fits (a list or nothing
   * there) is the caller's check, under {@link #locked}.
   */
  long append(String key, List<String> path, Value element) {
    synchronized (stripe(key)) {
      long version = clock.next();
      if (!writeAppend(key, version, new AppendEntry(path, element))) {
        refuseIfAhead(key, version);
      }
      return version;
    }
  }

  /**
   * Applies a versioned write ({@code value} null for a delete) when {@code version} is newer
   * than the stored one; returns whether it was applied. A version further ahead of this
   * server's wall clock than the clock's bound is refused (CommandException): accepted, it would
   * carry every clock that reads it (this one, the brokers') into the future.
   */
  boolean apply(String key, long version, Value value) {
    if (AppendKeys.isInternal(key)) {
      throw new IllegalArgumentException("key: an append's name (expected: a user key; applyAppend stores appends)");
    }
    checkAhead(version);
    synchronized (stripe(key)) {
      return writeBase(key, version, value);
    }
  }

  /** VAPPEND: stores the append of {@code version} unless stale; returns whether it was applied. */
  boolean applyAppend(String key, long version, AppendEntry append) {
    checkAhead(version);
    synchronized (stripe(key)) {
      return writeAppend(key, version, append);
    }
  }

  private void checkAhead(long version) {
    long ahead = clock.aheadOfWall(version);
    if (ahead > clock.maxAheadMillis()) {
      throw new CommandException(tooFarAhead(version, ahead, clock.maxAheadMillis()));
    }
    clock.observe(version);
  }

  static String tooFarAhead(long version, long ahead, long bound) {
    if (version < 0) {
      return "version: " + version + " (expected: a 64-bit integer >= 0); nothing was applied";
    }
    long millis = HybridLogicalClock.millisOf(version);
    return "version: " + version + " is from " + Instant.ofEpochMilli(millis) + ", " + ahead
        + " ms ahead of this server's clock (" + Instant.ofEpochMilli(millis - ahead) + ") (expected: at most "
        + bound + " ms ahead, the --max-clock-skew-ms bound); nothing was applied";
  }

  /*
   * A plain write loses only to a newer version: one written meanwhile by a broker (then it was
   * overwritten, as if a moment later; fine), or one replayed from the log that is beyond this
   * server's clock (the system clock stepped back since): then the user is told.
   */
  private void refuseIfAhead(String key, long version) {
    Entry current = entries.get(key);
    if (current != null && current.version() > version
        && clock.aheadOfWall(current.version()) > clock.maxAheadMillis()) {
      long millis = HybridLogicalClock.millisOf(current.version());
      throw new CommandException("key '" + Replies.quote(key) + "' holds version " + current.version() + " from "
          + Instant.ofEpochMilli(millis) + ", ahead of this server's clock (" + Instant.ofEpochMilli(HybridLogicalClock.millisOf(version))
          + "; the system clock stepped back?), so a write with this server's clock cannot replace it; nothing"
          + " was applied (expected: the clock to catch up, or a VPUT with a newer version)");
    }
  }

  /**
   * Removes the tombstone under {@code key} iff it has exactly {@code version} (VPURGE); a live
   * record, another version or an absent key is left alone. Returns whether it was removed.
   */
  boolean purgeTombstone(String key, long version) {
    /*
     * Memory only, no log frame: the logged VDEL stays in its segment, so a restart before the
     * next compaction replays the tombstone back (safe: it only keeps what the purge dropped).
     * A compaction builds its snapshot from this trie (snapshot() above), so from the first
     * snapshot taken after the purge the tombstone is gone for good; the segments holding the
     * VDEL are older than that snapshot and deleted with it. A VDEL racing with the segment
     * switch lands in the new segment and is replayed after the snapshot: again only safe.
     */
    synchronized (stripe(key)) {
      return entries.purgeTombstone(key, version);
    }
  }

  /** Entries (tombstones and appends' names included) whose key starts with {@code prefix}, after {@code after}. */
  Iterator<Map.Entry<String, Entry>> scan(String prefix, String after) {
    return entries.scan(prefix, after);
  }

  /** As {@link #scan} without the appends' names: the user keys, tombstones included. */
  Iterator<Map.Entry<String, Entry>> userKeys(String prefix, String after) {
    return entries.userKeys(prefix, after);
  }

  /** Keys that have a value (live base or appends). */
  long liveCount() {
    return entries.liveCount();
  }

  /** Tombstones of keys without appends. */
  long tombstoneCount() {
    return entries.tombstoneCount();
  }

  /** Stored append entries (not yet superseded by a PUT or DELETE of their key). */
  long appendCount() {
    return entries.appendCount();
  }

  /** The version VVERSIONS reports for {@code key} (see {@link Entries#storedVersion}). */
  long storedVersion(String key) {
    return entries.storedVersion(key);
  }

  private Object stripe(String key) {
    return stripes[AppendKeys.userKey(key).hashCode() & (STRIPES - 1)];
  }

  /* Called under the key's stripe; returns whether the write was applied. */
  private boolean writeBase(String key, long version, Value value) {
    return logThenApply(key, version, value, entries.baseIsStale(key, version, value),
        () -> entries.applyBase(key, version, value));
  }

  /* Called under the key's stripe; returns whether the append was stored. */
  private boolean writeAppend(String key, long version, AppendEntry append) {
    String name = AppendKeys.internalKey(key, version);
    SetValue stored = append.toSet();
    return logThenApply(name, version, stored, entries.appendIsStale(name, version, stored),
        () -> entries.applyAppend(name, version, stored));
  }

  private boolean logThenApply(String name, long version, Value value, boolean stale, BooleanSupplier apply) {
    EntryLog durable = log;
    if (durable == null) {
      return apply.getAsBoolean();
    }
    if (stale) {
      return false; // what the trie holds is logged already: nothing to wait for
    }
    try {
      return durable.append(name, version, value, apply);
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandException("write refused: " + e.getMessage() + "; nothing was applied", e);
    }
  }
}
