package kv.server.durable;

/** When appended records are forced to the disk (they always reach the OS before an append returns). */
public enum FsyncPolicy {
  /** Each append returns only after an fsync covering it; concurrent appends share one fsync. */
  ALWAYS,
  /**
   * A background thread fsyncs every interval (Redis {@code appendfsync everysec}): a killed
   * process loses nothing, a power cut loses at most about one interval.
   */
  EVERY_INTERVAL;

  /** The command-line spelling: {@code always} or {@code everysec}. */
  public String cliName() {
    return this == ALWAYS ? "always" : "everysec";
  }

  /** Parses the command-line spelling: {@code always} or {@code everysec}. */
  public static FsyncPolicy parse(String text) {
    if ("always".equalsIgnoreCase(text)) {
      return ALWAYS;
    }
    if ("everysec".equalsIgnoreCase(text)) {
      return EVERY_INTERVAL;
    }
    throw new IllegalArgumentException("fsync: '" + text + "' (expected: always or everysec)");
  }
}
