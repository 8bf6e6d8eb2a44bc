package kv.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The throttle's turns on a clock the test moves. */
class AuthThrottleTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private long now = 1_000_000_000L;
  private final AuthThrottle throttle = new AuthThrottle(
      new AuthThrottle.Policy(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1)),
      () -> now);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void eachFailureDoublesTheWaitOfTheNextAttemptUpToTheCap() throws Exception {
    InetAddress a = ip("10.0.0.1");
    assertThat(throttle.admit(a)).isZero();
    long[] expected = {200, 400, 800, 1600, 3200, 6400, 10_000, 10_000};
    for (long wait : expected) {
      throttle.failed(a);
      long got = throttle.admit(a);
      assertThat(got).isEqualTo(wait * MS);
      now += got; // the attempt runs at its turn, and fails again
    }
    assertThat(throttle.failures(a)).isEqualTo(expected.length);
    assertThat(throttle.admit(ip("10.0.0.2"))).as("another address").isZero();
  }

  @Test
  void parallelAttemptsFromOneAddressTakeTurnsAndTooLongAQueueIsRefused() throws Exception {
    InetAddress a = ip("10.0.0.1");
    throttle.failed(a);
    assertThat(throttle.admit(a)).isEqualTo(200 * MS);
    assertThat(throttle.admit(a)).isEqualTo(400 * MS);
    assertThat(throttle.admit(a)).isEqualTo(600 * MS);
    for (int i = 0; i < 300; i++) {
      throttle.admit(a);
    }
    assertThat(throttle.admit(a)).isEqualTo(AuthThrottle.REFUSED);
  }

  @Test
  void failuresAreForgottenAfterAQuietPeriod() throws Exception {
    InetAddress a = ip("10.0.0.1");
    throttle.failed(a);
    throttle.failed(a);
    now += Duration.ofMinutes(10).toNanos() + MS;
    assertThat(throttle.admit(a)).isZero();
    assertThat(throttle.failures(a)).isZero();
  }

  @Test
  void ipv6AddressesCountPerSlash64() throws Exception {
    throttle.failed(ip("2001:db8:1:2::1"));
    assertThat(throttle.admit(ip("2001:db8:1:2:ffff::9"))).isEqualTo(200 * MS);
    assertThat(throttle.admit(ip("2001:db8:1:3::1"))).isZero();
    assertThat(AuthThrottle.key(ip("2001:db8:1:2::1"))).isEqualTo("20010db800010002::/64");
  }
}
