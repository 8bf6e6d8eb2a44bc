package kv.server;

import java.io.IOException;
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
 * applied write is appended to it before the write returns. Thread-safe: reads walk the
 * copy-on-write trie without locks and never block writes; writes are serialised by the trie.
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
   * Durability: a write is applied to the trie, then appended to the log, then update() returns
   * and only then does the caller reply, so every acknowledged write is in the log. The append
   * happens outside the trie's lock so concurrent writers share the log's group commit; two
   * writes to one key may therefore reach the log in the opposite order of their versions, which
   * is harmless because replay applies by version too (last writer wins). Compaction relies on
   * "apply, then append": whatever is in a log segment is already in the trie its snapshot reads.
   * Stale writes (not applied) append nothing. If an append fails the write stays applied in
   * memory but the client gets an error, not an acknowledgement; the log then refuses every
   * later write until the server is restarted.
   * Known window (microseconds, the time of one append): a reader, or a stale write answered
   * ":0", can see a write that another thread applied but has not appended yet; if the process
   * dies in that window the write is lost although it was observed (never acknowledged).
   */
  private final RadixTrie<Entry> trie = new RadixTrie<>();
  private final Versions clock;
  /** False in strong mode: a delete removes the key (every member applies writes in log order). */
  private final boolean keepTombstones;
  private final AtomicLong live = new AtomicLong();
  private final AtomicLong tombstones = new AtomicLong();
  /** Set once, before the server accepts connections; null: in memory only. */
  private volatile DurableLog log;

  /** Where plain writes get their versions: a clock, or (strong mode) the Raft log index. */
  interface Versions {
    /** A version newer than any seen so far. */
    long next();

    /** Takes note of a version written elsewhere (replay, replication). */
    void observe(long version);
  }

  Store(HybridLogicalClock clock) {
    this(new Versions() {
      @Override
      public long next() {
        return clock.next();
      }

      @Override
      public void observe(long version) {
        clock.observe(version);
      }
    }, true);
  }

  Store(Versions versions, boolean keepTombstones) {
    this.clock = versions;
    this.keepTombstones = keepTombstones;
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
    clock.observe(version);
    applyInMemory(key, version, valueOrNull, false);
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
    update(key, version, value, true);
    return version;
  }

  /** Leaves a tombstone over a live record; returns false (and writes nothing) when there is none. */
  boolean delete(String key) {
    Entry current = trie.get(key);
    if (current == null || !current.isLive()) {
      return false;
    }
    long version = clock.next();
    return update(key, version, null, true);
  }

  /**
   * Applies a versioned write ({@code value} null for a delete) when {@code version} is newer
   * than the stored one; returns whether it was applied.
   */
  boolean apply(String key, long version, SetValue value) {
    clock.observe(version);
    return update(key, version, value, false);
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

  /*
   * For a plain delete, "applied" means a live record was replaced by the tombstone: a concurrent
   * delete that got there first makes this one report false.
   */
  private boolean update(String key, long version, SetValue value, boolean requireLiveForDelete) {
    if (!applyInMemory(key, version, value, requireLiveForDelete)) {
      return false;
    }
    DurableLog durable = log;
    if (durable != null) {
      try {
        durable.append(key, version, value);
      } catch (IOException | IllegalStateException e) {
        throw new CommandException("write not persisted (applied in memory only, lost at restart): "
            + e.getMessage(), e);
      }
    }
    return true;
  }

  private boolean applyInMemory(String key, long version, SetValue value, boolean requireLiveForDelete) {
    Entry replacement = value == null && !keepTombstones ? null : new Entry(version, value);
    Entry[] before = new Entry[1];
    boolean[] applied = new boolean[1];
    trie.compute(key, (k, current) -> {
      before[0] = current;
      applied[0] = false;
      if (current != null && current.version() >= version) {
        return current;
      }
      if (value == null && requireLiveForDelete && (current == null || !current.isLive())) {
        return current;
      }
      applied[0] = true;
      return replacement;
    });
    if (!applied[0]) {
      return false;
    }
    count(before[0], -1);
    count(replacement, +1);
    return true;
  }

  private void count(Entry e, int delta) {
    if (e != null) {
      (e.isLive() ? live : tombstones).addAndGet(delta);
    }
  }
}
