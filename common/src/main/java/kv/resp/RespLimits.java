package kv.resp;

/**
 * Limits a decoder checks before it allocates: the length of an inline line, of one bulk string,
 * and the number of elements of one array.
 */
public record RespLimits(int maxInlineBytes, int maxBulkBytes, int maxArrayLength) {
  /** As Redis: 64 KiB inline, 512 MiB bulk would be too much for us — 64 MiB; 1M elements. */
  public static final RespLimits DEFAULT = new RespLimits(64 * 1024, 64 * 1024 * 1024, 1024 * 1024);
}
