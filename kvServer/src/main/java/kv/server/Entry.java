package kv.server;

import kv.record.SetValue;

/**
 * What the store holds under one key: the version of the last write and the record's set, or
 * {@code null} for a tombstone left by a delete. Immutable.
 */
record Entry(long version, SetValue value) {

  static Entry tombstone(long version) {
    return new Entry(version, null);
  }

  boolean isLive() {
    return value != null;
  }
}
