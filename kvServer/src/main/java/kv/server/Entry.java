package kv.server;

import kv.record.Value;

/**
 * What the store holds under one trie key. Under a user key: the version and value of the last
 * PUT or DELETE (the base; {@code value} null for a tombstone, {@code version} {@link #NO_BASE}
 * when only appends were ever written), how many APPEND entries of the key are stored, and the
 * newest version among the base and those appends. Under an append's internal name (see
 * {@code kv.record.AppendKeys}): the append's version and its stored form. Immutable.
 */
record Entry(long version, Value value, int appends, long newest) {
  /** The version of a key that has appends but no base write. */
  static final long NO_BASE = -1;

  /** An entry without appends (a base write, or an append's own entry). */
  Entry(long version, Value value) {
    this(version, value, 0, version);
  }

  static Entry tombstone(long version) {
    return new Entry(version, null);
  }

  /** The base holds a value (a record, or any value); false for a tombstone or no base. */
  boolean isLive() {
    return value != null;
  }

  /** The key has a value to read: a live base, or appends (which always produce one). */
  boolean exists() {
    return value != null || appends > 0;
  }

  /** A PUT or DELETE was written (false for a key that only has appends). */
  boolean hasBase() {
    return version != NO_BASE;
  }
}
