package kv.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kv.trie.RadixTrie;

/**
 * A set of key/value pairs: the value of every record and of every nested set. Lookups go
 * through the project's radix trie ("only tries", SPEC.md §4); the keys also keep the order in
 * which they were written, which is the order printed. Immutable once built; equality is
 * structural and ignores order (two sets are equal when they hold the same keys with equal values).
 */
public final class SetValue implements Value {
  private static final SetValue EMPTY = new SetValue(new RadixTrie<>(), new String[0]);

  private final RadixTrie<Value> entries;
  private final String[] order;

  private SetValue(RadixTrie<Value> entries, String[] order) {
    this.entries = entries;
    this.order = order;
  }

  public static SetValue empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the value under {@code key}, or {@code null} when the set has no such key. */
  public Value get(String key) {
    return entries.get(key);
  }

  public boolean containsKey(String key) {
    return entries.get(key) != null;
  }

  public int size() {
    return order.length;
  }

  public boolean isEmpty() {
    return order.length == 0;
  }

  /** The keys in the order they were written. */
  public List<String> keys() {
    return Collections.unmodifiableList(Arrays.asList(order));
  }

  /** The pairs in the order they were written. */
  public List<Map.Entry<String, Value>> entries() {
    List<Map.Entry<String, Value>> list = new ArrayList<>(order.length);
    for (String key : order) {
      list.add(Map.entry(key, entries.get(key)));
    }
    return list;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SetValue other) || other.order.length != order.length) {
      return false;
    }
    for (String key : order) {
      if (!entries.get(key).equals(other.entries.get(key))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (String key : order) {
      h += key.hashCode() ^ entries.get(key).hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return RecordPrinter.print(this);
  }

  /** Builds a {@link SetValue}; rejects duplicate keys. Not thread-safe. */
  public static final class Builder {
    private final RadixTrie<Value> entries = new RadixTrie<>();
    private final List<String> order = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a pair. Returns {@code false} (and changes nothing) when the key is already present,
     * so the caller can report the duplicate where it knows the position.
     */
    public boolean add(String key, Value value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (entries.get(key) != null) {
        return false;
      }
      entries.put(key, value);
      order.add(key);
      return true;
    }

    /** Adds a pair; throws {@link IllegalArgumentException} naming the key if it is a duplicate. */
    public Builder put(String key, Value value) {
      if (!add(key, value)) {
        throw new IllegalArgumentException("duplicate key: \"" + key + "\" (expected: each key once per set)");
      }
      return this;
    }

    public int size() {
      return order.size();
    }

    public SetValue build() {
      return order.isEmpty() ? EMPTY : new SetValue(entries, order.toArray(new String[0]));
    }
  }
}
