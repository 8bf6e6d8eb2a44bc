package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteSequenceTest {
  @Test
  void theFloorIsTheSmallestUnfinishedNumber() {
    WriteSequence s = new WriteSequence();
    assertThat(s.floor()).isZero();
    long a = s.next();
    long b = s.next();
    long c = s.next();
    assertThat(s.floor()).isEqualTo(a);
    s.finished(b);
    assertThat(s.floor()).isEqualTo(a);
    s.finished(a);
    assertThat(s.floor()).isEqualTo(c);
    s.finished(c);
    assertThat(s.floor()).isEqualTo(3);
    assertThat(s.next()).isEqualTo(3);
  }
}
