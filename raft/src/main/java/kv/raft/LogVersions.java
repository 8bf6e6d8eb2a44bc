package kv.raft;

import java.util.function.LongSupplier;

/**
 * The versions the writes of one Raft entry store: (log index << 20) + 0, 1, 2, ... So versions
 * grow with the log on every member alike, whatever the members' clocks say, and an entry may
 * store up to 2^20 versions. Not thread-safe (one per entry, on the apply thread).
 */
final class LogVersions implements LongSupplier {
  static final int BITS = 20;
  private final long base;
  private long next;

  LogVersions(long logIndex) {
    if (logIndex < 0 || logIndex >= 1L << (63 - BITS)) {
      throw new IllegalArgumentException("log index: " + logIndex + " (expected: 0.." + ((1L << (63 - BITS)) - 1) + ")");
    }
    this.base = logIndex << BITS;
  }

  @Override
  public long getAsLong() {
    if (next >= 1L << BITS) {
      throw new IllegalStateException("versions: more than " + (1L << BITS) + " writes in one entry");
    }
    return base + next++;
  }

  /** The log index a version came from. */
  static long logIndex(long version) {
    return version >>> BITS;
  }
}
