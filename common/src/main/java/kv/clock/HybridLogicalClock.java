package kv.clock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014) packed in one long:
 * 44 bits of wall-clock milliseconds (good until the year 2527), a 12-bit counter for events in
 * the same millisecond, and an 8-bit node id that breaks ties between writers. Values from one
 * clock strictly increase, also when the wall clock steps back; {@link #observe} folds in a value
 * seen from elsewhere unless it is further ahead of the wall clock than a bound. Thread-safe
 * (lock-free).
 */
public final class HybridLogicalClock {
  /*
   * Why observe is bounded: an HLC moves to the largest value it has seen, so one forged or
   * corrupt value (VPUT k 9223372036854775807) would carry every clock that reads it to the year
   * 2248, and the next increment would overflow into a negative version that every server
   * refuses: all later writes fail. Values whose milliseconds are more than maxAheadMillis ahead
   * of this clock's wall clock (and negative values, which are not versions) are therefore
   * ignored, and observe says so, so that the caller can report it. The clock then never runs more
   * than the bound (plus what the 12-bit counter carries over) ahead of its wall clock, and it
   * cannot overflow before the year 2248.
   */
  static final int NODE_BITS = 8;
  static final int COUNTER_BITS = 12;
  static final int LOW_BITS = NODE_BITS + COUNTER_BITS;
  static final long MAX_NODE = (1L << NODE_BITS) - 1;
  /** The bound of the constructors that take none: a day, far beyond any honest clock skew. */
  public static final long DEFAULT_MAX_AHEAD_MILLIS = 24L * 60 * 60 * 1000;
  /** The largest bound accepted: about 35 years, so that wall clock plus bound cannot overflow. */
  public static final long MAX_AHEAD_LIMIT_MILLIS = 1L << 40;

  private final long nodeId;
  private final LongSupplier wallMillis;
  private final long maxAheadMillis;
  /** The last value issued or observed, without the node id (time and counter). */
  private final AtomicLong last = new AtomicLong();
  /** The largest value {@link #next()} returned (-1: none yet). */
  private final AtomicLong issued = new AtomicLong(-1);

  /**
   * @param maxAheadMillis how far ahead of {@code wallMillis} an observed value may be; values
   *     further ahead are ignored by {@link #observe}
   */
  public HybridLogicalClock(int nodeId, LongSupplier wallMillis, long maxAheadMillis) {
    if (nodeId < 0 || nodeId > MAX_NODE) {
      throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: 0.." + MAX_NODE + ")");
    }
    if (maxAheadMillis < 0 || maxAheadMillis > MAX_AHEAD_LIMIT_MILLIS) {
      throw new IllegalArgumentException("maxAheadMillis: " + maxAheadMillis + " (expected: 0.."
          + MAX_AHEAD_LIMIT_MILLIS + ")");
    }
    this.nodeId = nodeId;
    this.wallMillis = wallMillis;
    this.maxAheadMillis = maxAheadMillis;
  }

  /** A clock that ignores observed values more than {@link #DEFAULT_MAX_AHEAD_MILLIS} ahead. */
  public HybridLogicalClock(int nodeId, LongSupplier wallMillis) {
    this(nodeId, wallMillis, DEFAULT_MAX_AHEAD_MILLIS);
  }

  public HybridLogicalClock(int nodeId) {
    this(nodeId, System::currentTimeMillis);
  }

  /** A new timestamp, greater than every value this clock issued or observed. */
  public long next() {
    long wall = wallMillis.getAsLong() << COUNTER_BITS;
    long updated = last.updateAndGet(prev -> Math.max(prev + 1, wall));
    long value = (updated << NODE_BITS) | nodeId;
    issued.accumulateAndGet(value, Math::max);
    return value;
  }

  /**
   * Whether {@code timestamp} carries this clock's node id and is no greater than the largest
   * value {@link #next()} returned: a value this clock issued, unless another clock shares the
   * node id (8 bits: the caller must tolerate that rare case).
   */
  public boolean issued(long timestamp) {
    return nodeOf(timestamp) == nodeId && timestamp >= 0 && timestamp <= issued.get();
  }

  /**
   * Makes every later {@link #next()} greater than {@code seen}, and returns true; unless
   * {@code seen} is negative or more than {@link #maxAheadMillis()} ahead of the wall clock:
   * then it is ignored and the answer is false.
   */
  public boolean observe(long seen) {
    if (aheadOfWall(seen) > maxAheadMillis) {
      return false;
    }
    long timeAndCounter = seen >>> NODE_BITS;
    // Read before writing: nearly every observed version is behind the clock already, and a CAS
    // that changes nothing still takes the cache line from every other thread reading the clock.
    long current = last.get();
    while (current < timeAndCounter && !last.compareAndSet(current, timeAndCounter)) {
      current = last.get();
    }
    return true;
  }

  /**
   * How many milliseconds {@code timestamp} is ahead of this clock's wall clock now (negative:
   * behind); {@link Long#MAX_VALUE} for a negative value, which no clock issues.
   */
  public long aheadOfWall(long timestamp) {
    if (timestamp < 0) {
      return Long.MAX_VALUE;
    }
    return millisOf(timestamp) - wallMillis.getAsLong();
  }

  /** How far ahead of the wall clock an observed value may be. */
  public long maxAheadMillis() {
    return maxAheadMillis;
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
