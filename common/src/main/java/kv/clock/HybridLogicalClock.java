package kv.clock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014) packed in one long:
 * 44 bits of wall-clock milliseconds (good until the year 2527), a 12-bit counter for events in
 * the same millisecond, and an 8-bit node id that breaks ties between writers. Values from one
 * clock strictly increase, also when the wall clock steps back; {@link #observe} folds in a value
 * seen from elsewhere. Thread-safe (lock-free).
 */
public final class HybridLogicalClock {
  static final int NODE_BITS = 8;
  static final int COUNTER_BITS = 12;
  static final int LOW_BITS = NODE_BITS + COUNTER_BITS;
  static final long MAX_NODE = (1L << NODE_BITS) - 1;

  private final long nodeId;
  private final LongSupplier wallMillis;
  /** The last value issued, without the node id (time and counter). */
  private final AtomicLong last = new AtomicLong();

  public HybridLogicalClock(int nodeId, LongSupplier wallMillis) {
    if (nodeId < 0 || nodeId > MAX_NODE) {
      throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: 0.." + MAX_NODE + ")");
    }
    this.nodeId = nodeId;
    this.wallMillis = wallMillis;
  }

  public HybridLogicalClock(int nodeId) {
    this(nodeId, System::currentTimeMillis);
  }

  /** A new timestamp, greater than every value this clock issued or observed. */
  public long next() {
    long wall = wallMillis.getAsLong() << COUNTER_BITS;
    long updated = last.updateAndGet(prev -> Math.max(prev + 1, wall));
    return (updated << NODE_BITS) | nodeId;
  }

  /** Makes every later {@link #next()} greater than {@code seen}. */
  public void observe(long seen) {
    long timeAndCounter = seen >>> NODE_BITS;
    last.accumulateAndGet(timeAndCounter, Math::max);
  }

  /** The wall-clock milliseconds a timestamp carries. */
  public static long millisOf(long timestamp) {
    return timestamp >>> LOW_BITS;
  }

  /** The node id a timestamp carries. */
  public static int nodeOf(long timestamp) {
    return (int) (timestamp & MAX_NODE);
  }
}
