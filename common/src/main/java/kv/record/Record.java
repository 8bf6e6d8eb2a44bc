package kv.record;

import java.util.Objects;

/** A top-level record: a key and the set that is its value. Immutable. */
public record Record(String key, SetValue value) {
  public Record {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
