package kv.server.durable;

/**
 * The caller's state for a compaction: {@link #forEach} must pass every entry it holds (live
 * records and tombstones) to the visitor, over a consistent view, e.g. one iterator of the
 * copy-on-write trie. Called on the compaction thread, concurrently with writes.
 */
@FunctionalInterface
public interface SnapshotSource {
  void forEach(EntryVisitor visitor);
}
