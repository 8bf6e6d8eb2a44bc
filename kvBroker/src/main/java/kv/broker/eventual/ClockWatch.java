package kv.broker.eventual;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.clock.HybridLogicalClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's hybrid logical clock, fed with every version it sees (reads, and the versions
 * that beat its writes) so that its next write is newer; a version further ahead of its wall clock
 * than the clock's bound (a day) is ignored, counted and logged once, with the key and the server
 * it came from: a forged or corrupt version must neither carry the clock into the future nor
 * overflow it. Thread-safe.
 */
final class ClockWatch {
  private static final Logger log = LoggerFactory.getLogger(ClockWatch.class);

  private final HybridLogicalClock clock;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicLong ignored = new AtomicLong();

  ClockWatch(HybridLogicalClock clock) {
    this.clock = clock;
  }

  /** A version for a write, newer than every version this broker issued or observed. */
  long next() {
    return clock.next();
  }

  /**
   * Whether {@code version} is a write of this broker's issued after {@code mine}: a concurrent
   * write through this broker that overtook {@code mine} on its way to a replica.
   */
  boolean overtook(long version, long mine) {
    return version > mine && clock.issued(version);
  }

  /** Versions seen and ignored because they were too far ahead. */
  long ignored() {
    return ignored.get();
  }

  /** Observes a version {@code server} holds for {@code key}; false (and reported) when it is too far ahead. */
  boolean observe(long version, String key, Object server) {
    if (clock.observe(version)) {
      return true;
    }
    ignored.incrementAndGet();
    if (warned.compareAndSet(false, true)) {
      log.warn("{} holds version {} of '{}', {}; this broker's clock does not move to it (a forged or corrupt"
          + " version?), and writes through this broker cannot replace it. Later ones are only counted"
          + " (status: versions_ignored)", server, version, key, ahead(version));
    } else {
      log.debug("{} holds version {} of '{}', {}: ignored", server, version, key, ahead(version));
    }
    return false;
  }

  /** Whether the clock accepts {@code version} (not too far ahead), without observing it. */
  boolean acceptable(long version) {
    return clock.aheadOfWall(version) <= clock.maxAheadMillis();
  }

  /** "from 2248-09-26T15:10:22.207Z, more than 86400000 ms ahead of this broker's clock". */
  String ahead(long version) {
    String when = version < 0 ? "negative" : "from " + Instant.ofEpochMilli(HybridLogicalClock.millisOf(version));
    return when + ", more than " + clock.maxAheadMillis() + " ms ahead of this broker's clock";
  }
}
