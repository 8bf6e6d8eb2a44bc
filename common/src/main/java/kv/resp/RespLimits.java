package kv.resp;

/**
 * Limits a decoder checks before it allocates: the length of an inline line (also of a simple
 * string or error reply), of one bulk string, and the number of elements of one array. Immutable.
 */
public record RespLimits(int maxInlineBytes, int maxBulkBytes, int maxArrayLength) {
  /** As Redis: 64 KiB inline, 512 MiB bulk would be too much for us — 64 MiB; 1M elements. */
  public static final RespLimits DEFAULT = new RespLimits(64 * 1024, 64 * 1024 * 1024, 1024 * 1024);

  /* Leaves room for a line's "\r" and for the JVM's largest array. */
  static final int MAX_LIMIT = Integer.MAX_VALUE - 16;

  public RespLimits {
    check("maxInlineBytes", maxInlineBytes);
    check("maxBulkBytes", maxBulkBytes);
    check("maxArrayLength", maxArrayLength);
  }

  private static void check(String field, int value) {
    if (value < 1 || value > MAX_LIMIT) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: 1.." + MAX_LIMIT + ")");
    }
  }
}
