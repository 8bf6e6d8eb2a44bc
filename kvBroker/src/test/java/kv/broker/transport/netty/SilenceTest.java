package kv.broker.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The failure detector's measure, on a clock in milliseconds (the rule is the same in nanoseconds). */
class SilenceTest {
  private final Silence silence = new Silence(0);

  @Test
  void nothingOwedIsNoSilence() {
    assertThat(silence.check(10, false)).isZero();
    assertThat(silence.check(5000, false)).isZero();
  }

  @Test
  void anUnansweredRequestIsSilenceUpToThePreviousCheck() {
    silence.check(100, false);
    silence.owing(100);
    assertThat(silence.check(200, true)).isZero(); // owed since 100, proven up to 100
    assertThat(silence.check(300, true)).isEqualTo(100); // proven up to 200
    assertThat(silence.check(400, true)).isEqualTo(200);
  }

  @Test
  void anyByteIsASignOfLifeNotOnlyAWholeReply() {
    silence.owing(0);
    for (long t = 10; t <= 2000; t += 10) {
      silence.heard(t - 5); // a long reply, a few bytes at a time
      assertThat(silence.check(t, true)).as("at %d", t).isLessThan(10);
    }
  }

  @Test
  void silenceStartsAgainAtTheLastByte() {
    silence.owing(0);
    silence.heard(150);
    silence.check(200, true);
    assertThat(silence.check(300, true)).isEqualTo(50); // 150..200
    assertThat(silence.check(400, true)).isEqualTo(150);
  }

  @Test
  void aReaderThatWasBusyDoesNotCountTheTimeItCouldNotRead() {
    silence.owing(0);
    assertThat(silence.check(10, true)).isZero();
    // The reading thread is busy from 10 to 2000: the reply that came at 20 waits unread, and the
    // check due at 20 runs at 2000. Nothing proves the server silent after 10.
    assertThat(silence.check(2000, true)).isEqualTo(10);
    silence.heard(2001); // the next round reads the reply
    assertThat(silence.check(2010, true)).isZero();
  }

  @Test
  void aServerThatStaysSilentIsSilentAsLongAsItIs() {
    silence.owing(0);
    long silent = 0;
    for (long t = 10; t <= 1000; t += 10) {
      silent = silence.check(t, true);
    }
    assertThat(silent).isEqualTo(990);
  }
}
