package kv.createdata;

import java.util.Locale;

/** The value types a key file can declare for a name. Immutable. */
enum KeyType {
  STRING,
  INT,
  FLOAT;

  /** The type named {@code word} (case-insensitive), or {@code null} when there is none. */
  static KeyType parse(String word) {
    switch (word.toLowerCase(Locale.ROOT)) {
      case "string":
        return STRING;
      case "int":
        return INT;
      case "float":
        return FLOAT;
      default:
        return null;
    }
  }

  String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
