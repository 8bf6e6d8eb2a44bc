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

  @Test
  void rejectsNodeIdsOutOfRange() {
    assertThatThrownBy(() -> new HybridLogicalClock(256))
        .hasMessage("nodeId: 256 (expected: 0..255)");
  }
}
