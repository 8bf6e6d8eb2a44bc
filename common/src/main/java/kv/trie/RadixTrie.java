package kv.trie;

import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * This project's radix (path-compressed) trie from {@code String} keys to non-null values,
 * iterated in ascending {@link String#compareTo} order. Thread-safe: readers never block and see
 * either the state before or after each write; writers are serialised.
 */
public final class RadixTrie<V> implements Iterable<Map.Entry<String, V>> {

  public V get(String key) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Stores {@code value} (non-null) under {@code key}; returns the previous value or null. */
  public V put(String key, V value) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Removes {@code key}; returns the previous value or null. */
  public V remove(String key) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Atomically (with respect to other writers) replaces the value under {@code key} by
   * {@code fn(key, current)}, where current may be null; a null result removes the key.
   * Returns the new value.
   */
  public V compute(String key, BiFunction<? super String, ? super V, ? extends V> fn) {
    throw new UnsupportedOperationException("TODO");
  }

  public int size() {
    throw new UnsupportedOperationException("TODO");
  }

  /** All entries in ascending key order, over a consistent snapshot. */
  @Override
  public Iterator<Map.Entry<String, V>> iterator() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Entries whose key starts with {@code prefix}, in ascending order, over a snapshot. */
  public Iterator<Map.Entry<String, V>> prefixIterator(String prefix) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Entries whose key starts with {@code prefix} and is strictly greater than {@code after}
   * (null: from the start), in ascending order, over a snapshot — a resumable scan (SCAN cursor).
   */
  public Iterator<Map.Entry<String, V>> prefixIterator(String prefix, String after) {
    throw new UnsupportedOperationException("TODO");
  }
}
