package kv.server;

/**
 * The key patterns KEYS and SCAN MATCH support: a prefix followed by {@code *} (a walk of the
 * trie under that prefix), {@code *} alone, or an exact key. Other globs are refused rather than
 * answered by a full scan. Immutable.
 */
record KeyPattern(String text, boolean exact) {

  static KeyPattern parse(String pattern) {
    String body = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        throw new CommandException("pattern: '" + Replies.quote(pattern) + "' is not supported (expected:"
            + " a key prefix followed by *, e.g. person*, * for every key, or an exact key; only prefix"
            + " patterns are supported)");
      }
    }
    return new KeyPattern(body, body.length() == pattern.length());
  }

  static KeyPattern all() {
    return new KeyPattern("", false);
  }

  /** The prefix to walk: the key itself when exact. */
  String prefix() {
    return text;
  }

  boolean matches(String key) {
    return exact ? key.equals(text) : key.startsWith(text);
  }
}
