package kv.server;

import java.util.Iterator;
import java.util.Map;
import kv.record.SetValue;
import kv.record.VersionedSets;
import kv.trie.RadixTrie;

/**
 * The trie of {@link Entries}: entries by key, with the most common entry (a live record without
 * appends) held as one byte array instead of an Entry, a SetValue and the array. Thread-safe as
 * {@link RadixTrie} is: lock-free readers, serialised writers.
 */
final class EntryTrie {
  /*
   * A trie value is an Entry, or a byte[] from VersionedSets.pack for Entry(version, a set, no
   * appends): 40 + 24 bytes of objects per record less (JOL, MemoryPerRecord). Reads rebuild an
   * equal Entry around a view of the array; those short-lived objects are all a GET allocates
   * for it, and the array is never written after packing, so readers need no lock.
   */
  private final RadixTrie<Object> trie = new RadixTrie<>();

  Entry get(String key) {
    return unpack(trie.get(key));
  }

  void put(String key, Entry entry) {
    trie.put(key, pack(entry));
  }

  void remove(String key) {
    trie.remove(key);
  }

  /** Entries in key order over a snapshot, with keys starting with {@code prefix}, after {@code after} (null: all). */
  Iterator<Map.Entry<String, Entry>> prefixIterator(String prefix, String after) {
    Iterator<Map.Entry<String, Object>> it = trie.prefixIterator(prefix, after);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Map.Entry<String, Entry> next() {
        Map.Entry<String, Object> e = it.next();
        return Map.entry(e.getKey(), unpack(e.getValue()));
      }
    };
  }

  Iterator<Map.Entry<String, Entry>> prefixIterator(String prefix) {
    return prefixIterator(prefix, null);
  }

  private static Object pack(Entry entry) {
    if (entry.appends() == 0 && entry.newest() == entry.version() && entry.value() instanceof SetValue set) {
      return VersionedSets.pack(entry.version(), set);
    }
    return entry;
  }

  private static Entry unpack(Object stored) {
    if (stored instanceof byte[] packed) {
      return new Entry(VersionedSets.version(packed), VersionedSets.set(packed));
    }
    return (Entry) stored;
  }
}
