package kv.server;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import kv.clock.HybridLogicalClock;
import kv.record.SetValue;
import kv.server.durable.DurableLog;
import kv.server.durable.EntryVisitor;
import kv.trie.RadixTrie;

/**
 * The records of one server: a radix trie over the top-level keys whose entries carry a version
 * and the record's set (itself a trie) or a tombstone; with a {@link DurableLog} attached, every
 * write is logged before it is applied and acknowledged, and a write the log cannot take is
 * refused unapplied. Thread-safe: reads walk the copy-on-write trie without locks and never
 * block writes; writes are serialised by the trie.
 */
final class Store {
  /*
   * Last writer wins by version. Versioned writes (VPUT/VDEL) carry the writer's hybrid logical
   * clock value and apply only when newer than what is stored, so replaying them is harmless.
   * Plain writes (PUT/DELETE) take a version from this server's own clock, which observes every
   * version seen in a versioned write: a plain write therefore wins over every older replicated
   * write. Tombstones are kept so a stale VPUT cannot resurrect a record, until the broker,
   * once every replica has the delete and a grace period has passed, removes one with VPURGE.
   *
   * Durability: log, then apply, then reply. A write that is not stale is appended to the log
   * (and, under --fsync always, forced) and only then applied to the trie (DurableLog.append runs
   * the apply), so everything the trie holds is in the log as the fsync policy promises:
   *  - a reader never sees, and a stale write is never answered ":0" because of, a write that a
   *    crash (or under always, a power cut) could still lose; a stale write needs no wait;
   *  - a write the log cannot take (a full disk) throws before anything is applied: the client
   *    gets "write refused ...; nothing was applied", and the data stays as it was.
   * The appends of concurrent writers share the log's group commit. Two writes to one key may
   * both be logged (each passed the version check before the other applied); apply and replay
   * both keep the newer, so memory and the log agree. For the same reason a plain DELETE applies
   * by version like any write, and only reports whether it replaced a live record.
   */
  private final RadixTrie<Entry> trie = new RadixTrie<>();
  private final HybridLogicalClock clock;
  private final AtomicLong live = new AtomicLong();
  private final AtomicLong tombstones = new AtomicLong();
  /** Set once, before the server accepts connections; null: in memory only. */
  private volatile DurableLog log;
  /** Written by replay only (one thread, before the server serves). */
  private long newestAheadAtReplay = -1;

  Store(HybridLogicalClock clock) {
    this.clock = clock;
  }

  /** From now on every applied write is appended to {@code durableLog} before it returns. Once only. */
  void logTo(DurableLog durableLog) {
    if (log != null) {
      throw new IllegalStateException("store: a durable log is already attached");
    }
    log = durableLog;
  }

  /** The attached log, or null when the data is in memory only. */
  DurableLog durableLog() {
    return log;
  }

  /** Replay of one logged entry at start: applied by version, not logged again. */
  void replayEntry(String key, long version, SetValue valueOrNull) {
    if (!clock.observe(version) && version > newestAheadAtReplay) {
      newestAheadAtReplay = version;
    }
    applyInMemory(key, version, valueOrNull);
  }

  /**
   * The newest version replayed that this server's clock did not observe because it was further
   * ahead of the wall clock than the bound (a version stored before the system clock stepped
   * back, or by a kvServer that had no bound); -1 when there was none.
   */
  long newestAheadAtReplay() {
    return newestAheadAtReplay;
  }

  /** Every entry (tombstones included) over one consistent view of the trie, for a snapshot. */
  void snapshot(EntryVisitor visitor) {
    for (Map.Entry<String, Entry> e : trie) {
      visitor.accept(e.getKey(), e.getValue().version(), e.getValue().value());
    }
  }

  /** The entry under {@code key} (live or tombstone), or null when never written. */
  Entry entry(String key) {
    return trie.get(key);
  }

  /** The live record's set, or null when absent or deleted. */
  SetValue get(String key) {
    Entry e = trie.get(key);
    return e == null ? null : e.value();
  }

  boolean exists(String key) {
    return get(key) != null;
  }

  /** Stores {@code value} with a new version of this server's clock; returns that version. */
  long put(String key, SetValue value) {
    long version = clock.next();
    if (!update(key, version, value, false)) {
      refuseIfAhead(key, version);
    }
    return version;
  }

  /** Leaves a tombstone over a live record; returns false (and writes nothing) when there is none. */
  boolean delete(String key) {
    Entry current = trie.get(key);
    if (current == null || !current.isLive()) {
      return false;
    }
    long version = clock.next();
    boolean applied = update(key, version, null, true);
    if (!applied) {
      refuseIfAhead(key, version);
    }
    return applied;
  }

  /**
   * Applies a versioned write ({@code value} null for a delete) when {@code version} is newer
   * than the stored one; returns whether it was applied. A version further ahead of this
   * server's wall clock than the clock's bound is refused (CommandException): accepted, it would
   * carry every clock that reads it (this one, the brokers') into the future.
   */
  boolean apply(String key, long version, SetValue value) {
    long ahead = clock.aheadOfWall(version);
    if (ahead > clock.maxAheadMillis()) {
      throw new CommandException(tooFarAhead(version, ahead, clock.maxAheadMillis()));
    }
    clock.observe(version);
    return update(key, version, value, false);
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
    Entry current = trie.get(key);
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
    boolean[] removed = {false};
    trie.compute(key, (k, current) -> {
      if (current != null && !current.isLive() && current.version() == version) {
        removed[0] = true;
        return null;
      }
      return current;
    });
    if (removed[0]) {
      tombstones.decrementAndGet();
    }
    return removed[0];
  }

  /** Entries (tombstones included) whose key starts with {@code prefix}, after {@code after}. */
  Iterator<Map.Entry<String, Entry>> scan(String prefix, String after) {
    return trie.prefixIterator(prefix, after);
  }

  long liveCount() {
    return live.get();
  }

  long tombstoneCount() {
    return tombstones.get();
  }

  /** What applying one write to the trie did. */
  private enum Applied { STALE, OVER_LIVE, OVER_NOTHING }

  /*
   * Returns whether the write was applied; for a plain delete, whether it replaced a live record
   * (a concurrent delete that got there first makes this one report false).
   */
  private boolean update(String key, long version, SetValue value, boolean plainDelete) {
    DurableLog durable = log;
    if (durable == null) {
      return accepted(applyInMemory(key, version, value), plainDelete);
    }
    Entry current = trie.get(key);
    if (current != null && current.version() >= version) {
      return false; // what the trie holds is logged already: nothing to wait for
    }
    try {
      return durable.append(key, version, value, () -> accepted(applyInMemory(key, version, value), plainDelete));
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandException("write refused: " + e.getMessage() + "; nothing was applied", e);
    }
  }

  private static boolean accepted(Applied applied, boolean plainDelete) {
    return plainDelete ? applied == Applied.OVER_LIVE : applied != Applied.STALE;
  }

  /** Applies by version (last writer wins), as replay does. */
  private Applied applyInMemory(String key, long version, SetValue value) {
    Entry replacement = new Entry(version, value);
    Entry[] before = new Entry[1];
    Entry after = trie.compute(key, (k, current) -> {
      before[0] = current;
      if (current != null && current.version() >= version) {
        return current;
      }
      return replacement;
    });
    if (after != replacement) {
      return Applied.STALE;
    }
    count(before[0], -1);
    count(replacement, +1);
    return before[0] != null && before[0].isLive() ? Applied.OVER_LIVE : Applied.OVER_NOTHING;
  }

  private void count(Entry e, int delta) {
    if (e != null) {
      (e.isLive() ? live : tombstones).addAndGet(delta);
    }
  }
}
