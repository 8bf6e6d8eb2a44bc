package kv.server.durable;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import kv.record.RecordPrinter;
import kv.record.Value;
import kv.trie.RadixTrie;

/** What the server's Store does with the log, reduced to the part the log relies on. */
final class TestStore implements EntryVisitor, SnapshotSource {
  record Entry(long version, Value value) {}

  final RadixTrie<Entry> trie = new RadixTrie<>();

  /** Version-checked apply (last writer wins); true when applied. */
  boolean apply(String key, long version, Value valueOrNull) {
    boolean[] applied = {false};
    trie.compute(key, (k, current) -> {
      if (current != null && current.version() >= version) {
        return current;
      }
      applied[0] = true;
      return new Entry(version, valueOrNull);
    });
    return applied[0];
  }

  /** As the Store does: stale writes log nothing; others are logged, then applied. */
  boolean write(DurableLog log, String key, long version, Value valueOrNull) throws IOException {
    Entry current = trie.get(key);
    if (current != null && current.version() >= version) {
      return false;
    }
    return log.append(key, version, valueOrNull, () -> apply(key, version, valueOrNull));
  }

  @Override
  public void accept(String key, long version, Value valueOrNull) {
    apply(key, version, valueOrNull);
  }

  @Override
  public void forEach(EntryVisitor visitor) {
    for (Map.Entry<String, Entry> e : trie) {
      visitor.accept(e.getKey(), e.getValue().version(), e.getValue().value());
    }
  }

  /** key -> "version text" (text null-safe and order-sensitive, unlike SetValue.equals). */
  Map<String, String> contents() {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Entry> e : trie) {
      out.put(e.getKey(), describe(e.getValue().version(), e.getValue().value()));
    }
    return out;
  }

  static String describe(long version, Value value) {
    return version + " " + (value == null ? "<tombstone>" : RecordPrinter.print(value));
  }
}
