package kv.server.durable;

import kv.record.SetValue;

/**
 * Receives stored entries: a key, its version and its value, or null for a tombstone. Replay
 * hands every logged entry to one; a {@link SnapshotSource} hands its live entries to one.
 */
@FunctionalInterface
public interface EntryVisitor {
  void accept(String key, long version, SetValue valueOrNull);
}
