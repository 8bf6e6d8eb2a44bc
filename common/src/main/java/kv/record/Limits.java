package kv.record;

/**
 * Limits the record reader enforces before it allocates: nesting depth of sets and lists, and
 * the size of one record's text in bytes (UTF-8 length, or characters where only text is seen).
 */
public record Limits(int maxDepth, int maxRecordBytes) {
  /** Depth 64, 16 MiB per record. */
  public static final Limits DEFAULT = new Limits(64, 16 * 1024 * 1024);

  public Limits {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: >= 1)");
    }
    if (maxRecordBytes < 2) {
      throw new IllegalArgumentException("maxRecordBytes: " + maxRecordBytes + " (expected: >= 2)");
    }
  }
}
