package kv.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

  @Test
  void increasesWithinOneMillisecondAndWhenTheWallClockStepsBack() {
    AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    HybridLogicalClock clock = new HybridLogicalClock(3, wall::get);
    long a = clock.next();
    long b = clock.next();
    wall.set(1_600_000_000_000L);
    long c = clock.next();
    assertThat(b).isGreaterThan(a);
    assertThat(c).isGreaterThan(b);
    assertThat(HybridLogicalClock.millisOf(a)).isEqualTo(1_700_000_000_000L);
    assertThat(HybridLogicalClock.nodeOf(c)).isEqualTo(3);
  }

  @Test
  void knowsTheValuesItIssuedButNotThoseItObservedOrThoseOfOtherNodes() {
    AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    HybridLogicalClock clock = new HybridLogicalClock(3, wall::get);
    long mine = clock.next();
    HybridLogicalClock other = new HybridLogicalClock(4, () -> 1_700_000_000_500L);
    long theirs = other.next();
    clock.observe(theirs);
    long observedSameNode = ((1_700_000_000_900L) << 20) | 3;
    clock.observe(observedSameNode);
    assertThat(clock.issued(mine)).isTrue();
    assertThat(clock.issued(theirs)).isFalse();
    assertThat(clock.issued(observedSameNode)).as("observed, not yet issued").isFalse();
    assertThat(clock.issued(clock.next())).isTrue();
    assertThat(clock.issued(-1)).isFalse();
  }

  @Test
  void followsTheWallClockWhenItMovesOn() {
    AtomicLong wall = new AtomicLong(1_000L);
    HybridLogicalClock clock = new HybridLogicalClock(0, wall::get);
    clock.next();
    wall.set(5_000L);
    assertThat(HybridLogicalClock.millisOf(clock.next())).isEqualTo(5_000L);
  }

  @Test
  void observedValuesFromAheadClocksAreOvertaken() {
    AtomicLong wall = new AtomicLong(1_000L);
    HybridLogicalClock behind = new HybridLogicalClock(1, wall::get);
    HybridLogicalClock ahead = new HybridLogicalClock(2, () -> 9_000L);
    long seen = ahead.next();
    behind.observe(seen);
    assertThat(behind.next()).isGreaterThan(seen);
  }

  @Test
  void nodeIdBreaksTiesBetweenClocksAtTheSameInstant() {
    long a = new HybridLogicalClock(1, () -> 42L).next();
    long b = new HybridLogicalClock(2, () -> 42L).next();
    assertThat(a).isNotEqualTo(b);
    assertThat(HybridLogicalClock.millisOf(a)).isEqualTo(HybridLogicalClock.millisOf(b));
  }

  /** Issue 12, scenario 6: one forged version must not overflow or freeze the clock. */
  @Test
  void aForgedHugeVersionNeitherOverflowsNorFreezesTheClock() {
    AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    HybridLogicalClock clock = new HybridLogicalClock(5, wall::get);
    for (long forged : new long[] {Long.MAX_VALUE, -1L, Long.MIN_VALUE, (wall.get() + 86_400_000L * 365) << 20}) {
      assertThat(clock.observe(forged)).as("observing %d", forged).isFalse();
      long next = clock.next();
      assertThat(next).as("after observing %d", forged).isPositive();
      assertThat(HybridLogicalClock.millisOf(next)).as("after observing %d", forged).isEqualTo(wall.get());
      wall.addAndGet(1);
    }
  }

  @Test
  void observesValuesUpToTheBoundAheadAndIgnoresTheRest() {
    AtomicLong wall = new AtomicLong(1_000_000L);
    HybridLogicalClock clock = new HybridLogicalClock(1, wall::get, 60_000);
    assertThat(clock.maxAheadMillis()).isEqualTo(60_000);
    long atBound = ((wall.get() + 60_000) << 20) | 7;
    long beyond = ((wall.get() + 60_001) << 20) | 7;
    assertThat(clock.aheadOfWall(atBound)).isEqualTo(60_000);
    assertThat(clock.aheadOfWall(-5)).isEqualTo(Long.MAX_VALUE);
    assertThat(clock.observe(beyond)).isFalse();
    assertThat(HybridLogicalClock.millisOf(clock.next())).isEqualTo(wall.get());
    assertThat(clock.observe(atBound)).isTrue();
    assertThat(clock.next()).isGreaterThan(atBound);
    // once the wall clock has moved on, the same value is within the bound
    wall.addAndGet(10);
    assertThat(clock.observe(beyond)).isTrue();
    assertThat(clock.next()).isGreaterThan(beyond);
  }

  @Test
  void theDefaultBoundIsADayAndABoundOutOfRangeIsRefused() {
    assertThat(new HybridLogicalClock(0).maxAheadMillis()).isEqualTo(86_400_000L);
    assertThatThrownBy(() -> new HybridLogicalClock(0, () -> 0L, -1))
        .hasMessage("maxAheadMillis: -1 (expected: 0..1099511627776)");
  }

  @Test
  void rejectsNodeIdsOutOfRange() {
    assertThatThrownBy(() -> new HybridLogicalClock(256))
        .hasMessage("nodeId: 256 (expected: 0..255)");
  }
}
