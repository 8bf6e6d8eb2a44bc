package kv.broker;

/**
 * The key patterns the router's KEYS and SCAN MATCH support, as kvServer's: a prefix followed
 * by {@code *} (a walk of the tries under that prefix), {@code *} alone, or an exact key. Other
 * globs are refused rather than answered by a full scan. Immutable.
 */
record KeyPattern(String prefix, boolean exact) {

  static KeyPattern parse(String pattern) throws CommandException {
    String body = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        String shown = pattern.length() > 100 ? pattern.substring(0, 100) + "..." : pattern;
        throw new CommandException("pattern: '" + shown + "' is not supported (expected: a key prefix followed"
            + " by *, e.g. person*, * for every key, or an exact key; only prefix patterns are supported)");
      }
    }
    return new KeyPattern(body, body.length() == pattern.length());
  }

  static KeyPattern all() {
    return new KeyPattern("", false);
  }
}
