package kv.createdata;

import java.util.Objects;

/** One line of the key file: a key name and the type of the values generated for it. Immutable. */
record KeySpec(String name, KeyType type) {
  KeySpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
