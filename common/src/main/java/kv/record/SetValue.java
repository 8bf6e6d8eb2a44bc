package kv.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A set of key/value pairs: the value of every record and of every nested set, packed in one
 * byte array that holds a trie over the keys ("only tries", SPEC.md §4; the layout is in
 * {@code SetLayout}) and the pairs in the order they were written, which is the order printed.
 * Immutable once built and safe to share between threads; equality is structural and ignores
 * order (two sets are equal when they hold the same keys with equal values).
 */
public final class SetValue implements Value {
  private static final SetValue EMPTY = new SetValue(new byte[] {0}, 0, 1);

  /** Never written after packing; a nested set is a view of its enclosing set's array. */
  private final byte[] data;
  private final int start;
  private final int end;

  SetValue(byte[] data, int start, int end) {
    this.data = data;
    this.start = start;
    this.end = end;
  }

  public static SetValue empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the value under {@code key}, or {@code null} when the set has no such key. Values are
   * read from the packed bytes on each call: equal every time, not the same object.
   */
  public Value get(String key) {
    int at = SetLayout.find(data, start, requireKey(key));
    return at < 0 ? null : new SetCursor(data, at).readValue();
  }

  public boolean containsKey(String key) {
    return SetLayout.find(data, start, requireKey(key)) >= 0;
  }

  public int size() {
    return SetLayout.pairCount(data, start);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** The keys in the order they were written. */
  public List<String> keys() {
    int n = size();
    String[] keys = new String[n];
    SetCursor cursor = new SetCursor(data, SetLayout.pairsStart(data, start));
    for (int i = 0; i < n; i++) {
      keys[i] = cursor.readString();
      cursor.skipValue();
    }
    return Collections.unmodifiableList(Arrays.asList(keys));
  }

  /** The pairs in the order they were written. */
  public List<Map.Entry<String, Value>> entries() {
    int n = size();
    List<Map.Entry<String, Value>> list = new ArrayList<>(n);
    SetCursor cursor = new SetCursor(data, SetLayout.pairsStart(data, start));
    for (int i = 0; i < n; i++) {
      String key = cursor.readString();
      list.add(Map.entry(key, cursor.readValue()));
    }
    return list;
  }

  /**
   * This set with {@code key} bound to {@code value}: in its place when the key is present,
   * otherwise added after the other pairs. Costs a copy of the set.
   */
  public SetValue with(String key, Value value) {
    Objects.requireNonNull(value, "value");
    Builder b = builder();
    boolean replaced = false;
    for (Map.Entry<String, Value> e : entries()) {
      if (e.getKey().equals(requireKey(key))) {
        b.add(key, value);
        replaced = true;
      } else {
        b.add(e.getKey(), e.getValue());
      }
    }
    if (!replaced) {
      b.add(key, value);
    }
    return b.build();
  }

  /** This set without {@code key} (the same set when it has no such key). Costs a copy of the set. */
  public SetValue without(String key) {
    if (!containsKey(key)) {
      return this;
    }
    Builder b = builder();
    for (Map.Entry<String, Value> e : entries()) {
      if (!e.getKey().equals(key)) {
        b.add(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  /**
   * A copy of this set's packed form: what {@link PackedSetReader#read} takes back (the value of
   * a broker's {@code VPUT ... PACKED}), so a record parsed once is not printed and parsed again.
   */
  public byte[] toPacked() {
    return Arrays.copyOfRange(data, start, end);
  }

  /** How many bytes this set's packed form takes. */
  int packedLength() {
    return end - start;
  }

  /** Copies this set's packed form (offsets are relative to its start) into {@code dest} at {@code at}. */
  void copyPacked(byte[] dest, int at) {
    System.arraycopy(data, start, dest, at, end - start);
  }

  /** Appends this set's packed bytes, preceded by their length, for a set that holds this one. */
  void writePacked(ByteWriter out) {
    out.writeVarLong(end - start);
    out.write(data, start, end - start);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SetValue other)) {
      return false;
    }
    if (Arrays.equals(data, start, end, other.data, other.start, other.end)) {
      return true; // the same pairs written in the same order pack to the same bytes
    }
    if (other.size() != size()) {
      return false;
    }
    for (Map.Entry<String, Value> e : entries()) {
      if (!e.getValue().equals(other.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, Value> e : entries()) {
      h += e.getKey().hashCode() ^ e.getValue().hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return RecordPrinter.print(this);
  }

  private static String requireKey(String key) {
    if (key == null) {
      throw new NullPointerException("key: null (expected: a non-null String; \"\" is allowed)");
    }
    return key;
  }

  /** Builds a {@link SetValue}; rejects duplicate keys. Not thread-safe. */
  public static final class Builder {
    /** Up to this many keys a duplicate is looked for by comparing with each; past it, in a hash set. */
    private static final int LINEAR_LIMIT = 8;

    private String[] keys = new String[4];
    private Value[] values = new Value[4];
    private int size;
    private Set<String> seen;

    private Builder() {}

    /**
     * Adds a pair. Returns {@code false} (and changes nothing) when the key is already present,
     * so the caller can report the duplicate where it knows the position.
     */
    public boolean add(String key, Value value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (contains(key)) {
        return false;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      if (seen != null) {
        seen.add(key);
      } else if (size > LINEAR_LIMIT) {
        seen = new HashSet<>(Arrays.asList(keys).subList(0, size));
      }
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
      return size;
    }

    /** The set of the pairs added so far; the builder stays usable. */
    public SetValue build() {
      if (size == 0) {
        return EMPTY;
      }
      byte[] packed = SetEncoder.encode(keys, values, size);
      return new SetValue(packed, 0, packed.length);
    }

    private boolean contains(String key) {
      if (seen != null) {
        return seen.contains(key);
      }
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return true;
        }
      }
      return false;
    }
  }
}
