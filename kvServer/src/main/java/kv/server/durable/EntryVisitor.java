package kv.server.durable;

import kv.record.Value;

/**
 * Receives stored entries: a key (or an append's internal name), its version and its value (any
 * value; an append's stored form), or null for a tombstone. Replay
 * hands every logged entry to one; a {@link SnapshotSource} hands its live entries to one.
 */
@FunctionalInterface
public interface EntryVisitor {
  void accept(String key, long version, Value valueOrNull);
}
