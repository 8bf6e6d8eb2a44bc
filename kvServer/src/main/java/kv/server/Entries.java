package kv.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import kv.record.AppendEntry;
import kv.clock.VersionOrder;
import kv.record.AppendKeys;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.Value;
import kv.server.durable.EntryVisitor;

/**
 * The in-memory half of a {@link Store}: the trie of entries (base writes under user keys, appends
 * under their internal names), applied by version, read with appends merged, and the counters.
 * Thread-safe for readers; writes to one user key (its base and its appends) must be serialised
 * by the caller (the store's per-key lock, or replay's single thread).
 */
final class Entries {
  /*
   * Layout: "k" holds Entry(base version, base value or null, number of append entries stored,
   * newest version among base and appends); each append of k is "k\0<19-digit version>" holding
   * Entry(version, AppendEntry.toSet()). A key with appends always has an entry under "k" (with
   * version NO_BASE when no PUT or DELETE was written), so a read never looks for appends of a key
   * that has no entry, and a key whose entry says appends == 0 is read with one lookup, as before
   * appends existed. EntryTrie holds the common entry, a record without appends, as one array.
   *
   * Rules (each commutes with the others, so replicas that apply the same writes in any order end
   * up equal): a base write applies when newer than the base (or of the same version and winning
   * the tie, kv.clock.VersionOrder); it drops the appends it supersedes (version <= its own). An
   * append applies when newer than the base and not stored yet (each is written once; a replay is
   * a no-op; two different appends that got the same name settle on the tie-break too).
   *
   * Order of the trie updates, so a concurrent reader never sees more than what was there before
   * or after: an append is put under its name before the base's count grows (a reader that sees
   * the count finds the entry); a base write replaces the base before the superseded appends are
   * removed, and a read skips appends not newer than the base it read from the same snapshot.
   */
  private final EntryTrie trie = new EntryTrie();
  private final AtomicLong live = new AtomicLong();
  private final AtomicLong tombstones = new AtomicLong();
  private final AtomicLong appendEntries = new AtomicLong();

  /** A key's version and merged value (null for a tombstone). */
  record Read(long version, Value value) {}

  /** The raw entry under a user key or internal name, or null. */
  Entry get(String key) {
    return trie.get(key);
  }

  /** The merged value of a user key, or null when it has none. */
  Value value(String key) {
    Entry e = trie.get(key);
    if (e == null) {
      return null;
    }
    if (e.appends() == 0) {
      return e.value();
    }
    Read merged = merged(key);
    return merged == null ? null : merged.value(); // null: the key went away since the lookup
  }

  /** The version (newest of base and appends) and merged value of a user key; null when never written. */
  Read read(String key) {
    Entry e = trie.get(key);
    if (e == null) {
      return null;
    }
    return e.appends() == 0 ? new Read(e.version(), e.value()) : merged(key);
  }

  /* One snapshot of the trie: the base, then the appends right after it in key order. */
  private Read merged(String key) {
    Iterator<Map.Entry<String, Entry>> it = trie.prefixIterator(key);
    String prefix = AppendKeys.prefix(key);
    Entry base = null;
    List<AppendEntry> appends = new ArrayList<>();
    long newest = Entry.NO_BASE;
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (e.getKey().equals(key)) {
        base = e.getValue();
        newest = base.version();
      } else if (!e.getKey().startsWith(prefix)) {
        break;
      } else if (base != null && e.getValue().version() > base.version()) {
        appends.add(AppendEntry.fromSet((SetValue) e.getValue().value()));
        newest = Math.max(newest, e.getValue().version());
      }
    }
    return base == null ? null : new Read(newest, AppendMerge.merge(base.value(), appends));
  }

  /** The stored entries of a user key, raw: its base (unless it has none), then its appends. */
  List<Map.Entry<String, Entry>> stored(String key) {
    List<Map.Entry<String, Entry>> out = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = trie.prefixIterator(key);
    String prefix = AppendKeys.prefix(key);
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (e.getKey().equals(key)) {
        if (e.getValue().hasBase()) {
          out.add(e);
        }
      } else if (e.getKey().startsWith(prefix)) {
        out.add(e);
      } else {
        break;
      }
    }
    return out;
  }

  /**
   * The version VVERSIONS reports: a user key's base version; an append's own version, or, once a
   * PUT or DELETE of its key superseded (and dropped) it, that base version, so a resync does not
   * copy it again; -1 when neither is stored.
   */
  long storedVersion(String key) {
    Entry e = trie.get(key);
    if (e != null) {
      return e.hasBase() ? e.version() : -1;
    }
    if (!AppendKeys.isInternal(key)) {
      return -1;
    }
    Entry base = trie.get(AppendKeys.userKey(key));
    long version;
    try {
      version = AppendKeys.version(key);
    } catch (IllegalArgumentException malformed) {
      return -1;
    }
    return base != null && base.hasBase() && base.version() >= version ? base.version() : -1;
  }

  /** Whether a base write of {@code version} and {@code value} (null: a delete) would be ignored. */
  boolean baseIsStale(String key, long version, Value value) {
    return loses(trie.get(key), version, value);
  }

  /** Whether the append named {@code name} with {@code version} and {@code stored} form would be ignored. */
  boolean appendIsStale(String name, long version, SetValue stored) {
    Entry base = trie.get(AppendKeys.userKey(name));
    return (base != null && base.version() >= version) || loses(trie.get(name), version, stored);
  }

  /*
   * Whether a write of (version, value) loses to the entry held: the entry is newer, or has the
   * same version and wins the tie (VersionOrder: a tombstone beats a value, then the greater
   * canonical text), so replicas that got two writers' equal versions in different orders keep
   * the same one. The texts are printed only on a tie. An entry without a base (NO_BASE) is older
   * than any write.
   */
  private static boolean loses(Entry current, long version, Value value) {
    if (current == null || current.version() != version) {
      return current != null && current.version() > version;
    }
    return VersionOrder.compareTie(text(value), text(current.value())) <= 0;
  }

  private static String text(Value value) {
    return value == null ? null : RecordPrinter.print(value);
  }

  /** Applies one logged entry: a base write under a user key, an append under an internal name. */
  void replay(String key, long version, Value valueOrNull) {
    if (!AppendKeys.isInternal(key)) {
      applyBase(key, version, valueOrNull);
    } else if (valueOrNull instanceof SetValue stored) {
      applyAppend(key, version, stored);
    } else {
      throw new IllegalStateException("log entry for an append of '" + Replies.quote(AppendKeys.userKey(key))
          + "' holds " + (valueOrNull == null ? "a tombstone" : "no append") + " (expected: an append entry)");
    }
  }

  /**
   * Applies a PUT ({@code value}) or DELETE (null) of {@code version} to {@code key} when newer
   * than its base; returns whether it applied.
   */
  boolean applyBase(String key, long version, Value value) {
    Entry current = trie.get(key);
    if (loses(current, version, value)) {
      return false;
    }
    int remaining = 0;
    long newest = version;
    List<String> superseded = List.of();
    if (current != null && current.appends() > 0) {
      superseded = new ArrayList<>();
      Iterator<Map.Entry<String, Entry>> it = trie.prefixIterator(AppendKeys.prefix(key));
      while (it.hasNext()) {
        Map.Entry<String, Entry> e = it.next();
        if (e.getValue().version() <= version) {
          superseded.add(e.getKey());
        } else {
          remaining++;
          newest = Math.max(newest, e.getValue().version());
        }
      }
    }
    Entry replacement = new Entry(version, value, remaining, newest);
    trie.put(key, replacement);
    for (String name : superseded) {
      trie.remove(name);
    }
    appendEntries.addAndGet(-superseded.size());
    count(current, -1);
    count(replacement, +1);
    return true;
  }

  /** Stores the append {@code name} (of {@code version}) unless stale; returns whether it applied. */
  boolean applyAppend(String name, long version, SetValue stored) {
    String key = AppendKeys.userKey(name);
    Entry base = trie.get(key);
    Entry existing = trie.get(name);
    if ((base != null && base.version() >= version) || loses(existing, version, stored)) {
      return false;
    }
    trie.put(name, new Entry(version, stored));
    if (existing != null) {
      return true; // the same append's name, a tie won by this one: counts unchanged
    }
    Entry updated = base == null ? new Entry(Entry.NO_BASE, null, 1, version)
        : new Entry(base.version(), base.value(), base.appends() + 1, Math.max(base.newest(), version));
    trie.put(key, updated);
    appendEntries.incrementAndGet();
    count(base, -1);
    count(updated, +1);
    return true;
  }

  /** Removes the tombstone of {@code key} iff it has exactly {@code version}; its newer appends stay. */
  boolean purgeTombstone(String key, long version) {
    Entry current = trie.get(key);
    if (current == null || current.isLive() || current.version() != version) {
      return false;
    }
    Entry replacement = current.appends() == 0 ? null
        : new Entry(Entry.NO_BASE, null, current.appends(), current.newest());
    if (replacement == null) {
      trie.remove(key);
    } else {
      trie.put(key, replacement);
    }
    count(current, -1);
    count(replacement, +1);
    return true;
  }

  /** Every stored entry (tombstones and appends included, placeholders not) over one snapshot. */
  void snapshot(EntryVisitor visitor) {
    for (Iterator<Map.Entry<String, Entry>> it = trie.prefixIterator(""); it.hasNext(); ) {
      Map.Entry<String, Entry> e = it.next();
      if (e.getValue().hasBase()) {
        visitor.accept(e.getKey(), e.getValue().version(), e.getValue().value());
      }
    }
  }

  /** Entries whose key starts with {@code prefix}, after {@code after}, internal names included. */
  Iterator<Map.Entry<String, Entry>> scan(String prefix, String after) {
    return trie.prefixIterator(prefix, after);
  }

  /**
   * The user keys' entries (tombstones included, appends' names not) whose key starts with
   * {@code prefix}, after {@code after}, over snapshots of the trie.
   */
  Iterator<Map.Entry<String, Entry>> userKeys(String prefix, String after) {
    return new UserKeyIterator(trie, prefix, after);
  }

  long liveCount() {
    return live.get();
  }

  long tombstoneCount() {
    return tombstones.get();
  }

  long appendCount() {
    return appendEntries.get();
  }

  /* Base entries only: a key that exists is live, a tombstone without appends is a tombstone. */
  private void count(Entry e, int delta) {
    if (e == null) {
      return;
    }
    if (e.exists()) {
      live.addAndGet(delta);
    } else if (e.hasBase()) {
      tombstones.addAndGet(delta);
    }
  }
}
