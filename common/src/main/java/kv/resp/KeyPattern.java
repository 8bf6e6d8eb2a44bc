package kv.resp;

/**
 * The key patterns KEYS and SCAN MATCH support, on every port: a prefix followed by {@code *} (a
 * walk of the trie under that prefix), {@code *} alone, or an exact key. Other globs are refused
 * rather than answered by a full scan. Immutable.
 */
public record KeyPattern(String prefix, boolean exact) {
  private static final int SHOWN = 100;

  /** Throws IllegalArgumentException, saying what is supported, for any other glob. */
  public static KeyPattern parse(String pattern) {
    String body = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        String shown = pattern.length() > SHOWN ? pattern.substring(0, SHOWN) + "..." : pattern;
        throw new IllegalArgumentException("pattern: '" + shown.replaceAll("[\\r\\n]", " ") + "' is not supported"
            + " (expected: a key prefix followed by *, e.g. person*, * for every key, or an exact key; only prefix"
            + " patterns are supported)");
      }
    }
    return new KeyPattern(body, body.length() == pattern.length());
  }

  public static KeyPattern all() {
    return new KeyPattern("", false);
  }

  public boolean matches(String key) {
    return exact ? key.equals(prefix) : key.startsWith(prefix);
  }
}
