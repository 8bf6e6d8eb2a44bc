package kv.record;

/**
 * The names under which a server stores each APPEND as an entry of its own: the user key, U+0000,
 * then the append's version as 19 decimal digits ({@code pets\u00000001234567890123456789}).
 * Servers and brokers use the same encoding: a broker places an internal name on the replicas of
 * {@link #userKey} and copies it like any key. Stateless.
 */
public final class AppendKeys {
  /*
   * Why this shape: U+0000 is the smallest char, so in the servers' trie (String.compareTo order)
   * a key's appends come right after the key itself and before any longer user key ("k" <
   * "k\0..." < "k\u0001" < "ka"), and one prefix walk from "k\0" finds them all; fixed-width
   * digits of a non-negative version sort in version order. User keys may not contain U+0000
   * (every user-facing command refuses them), so an internal name is never a user's key.
   */
  /** Separates the user key from the version; never part of a user key. */
  public static final char SEPARATOR = '\u0000';
  /** Digits of Long.MAX_VALUE. */
  static final int VERSION_DIGITS = 19;

  private AppendKeys() {}

  /** The name of the append with {@code version} (>= 0) to {@code userKey} (without U+0000). */
  public static String internalKey(String userKey, long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
    }
    String digits = Long.toString(version);
    StringBuilder out = new StringBuilder(userKey.length() + 1 + VERSION_DIGITS);
    out.append(userKey).append(SEPARATOR);
    for (int i = digits.length(); i < VERSION_DIGITS; i++) {
      out.append('0');
    }
    return out.append(digits).toString();
  }

  /** Whether {@code key} is an internal name (it holds U+0000). */
  public static boolean isInternal(String key) {
    return key.indexOf(SEPARATOR) >= 0;
  }

  /** The user key an internal name belongs to; {@code key} itself when it is not internal. */
  public static String userKey(String key) {
    int at = key.indexOf(SEPARATOR);
    return at < 0 ? key : key.substring(0, at);
  }

  /** What every internal name of {@code userKey} starts with. */
  public static String prefix(String userKey) {
    return userKey + SEPARATOR;
  }

  /**
   * The version an internal name carries.
   *
   * @throws IllegalArgumentException when {@code key} is not a well-formed internal name
   */
  public static long version(String key) {
    int at = key.indexOf(SEPARATOR);
    if (at < 0 || key.length() - at - 1 != VERSION_DIGITS) {
      throw malformed(key);
    }
    long v = 0;
    for (int i = at + 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(key);
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        throw malformed(key);
      }
    }
    return v;
  }

  private static IllegalArgumentException malformed(String key) {
    String shown = key.length() > 120 ? key.substring(0, 120) + "..." : key;
    return new IllegalArgumentException("key: '" + shown.replace(String.valueOf(SEPARATOR), "\\u0000")
        + "' is not an append's name (expected: a key, U+0000 and " + VERSION_DIGITS + " decimal digits of a version)");
  }
}
