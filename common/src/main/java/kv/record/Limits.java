package kv.record;

/**
 * Limits the record reader enforces before it allocates: nesting depth of sets and lists, and
 * the size of one record's text in bytes (UTF-8 length, or characters where only text is seen).
 */
public record Limits(int maxDepth, int maxRecordBytes) {
  /*
   * MAX_DEPTH is the one depth bound of every record kvServer holds: no --max-depth may exceed
   * it, and its log decoder refuses exactly what is deeper, counting as the reader does (the
   * outermost set is depth 1; each nested set or list adds one), so whatever a server
   * acknowledged it also replays. The reader, the printer and the codecs recurse once or twice a
   * level; measured on a 1 MiB thread stack (the JVM's default, and Netty's event loops') with
   * the interpreter's large frames, the reader overflows at about 1,400 levels, so 1,000 leaves
   * room for the rest of the call stack. The reader turns an overflow anyway (a smaller -Xss)
   * into a RecordFormatException, never a StackOverflowError.
   */
  /** The deepest nesting any configuration accepts (and a log decoder replays). */
  public static final int MAX_DEPTH = 1_000;

  /** Depth 64, 16 MiB per record. */
  public static final Limits DEFAULT = new Limits(64, 16 * 1024 * 1024);

  public Limits {
    if (maxDepth < 1 || maxDepth > MAX_DEPTH) {
      throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: 1.." + MAX_DEPTH + ")");
    }
    if (maxRecordBytes < 2) {
      throw new IllegalArgumentException("maxRecordBytes: " + maxRecordBytes + " (expected: >= 2)");
    }
  }
}
