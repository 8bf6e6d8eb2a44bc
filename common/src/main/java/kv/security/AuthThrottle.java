package kv.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing from one address (an IPv4 address, or an IPv6 /64 network): after a
 * wrong password, the next attempt from there waits before it is even checked, 200 ms after the
 * first failure and twice as long after each further one, up to 10 s; attempts from one address
 * are checked one at a time, so parallel connections do not multiply the rate, and one that
 * would wait more than a minute is refused. An address's failures are forgotten 10 minutes after
 * its last. The caller waits without blocking (it schedules the check). Thread-safe.
 */
public final class AuthThrottle {
  /*
   * Why the check waits, not only the reply: a guesser who opens a connection per guess would
   * otherwise learn a success at once and treat any reply slower than that as a failure. Here an
   * address with recent failures gets no verdict, right or wrong, before its turn, and turns come
   * one per delay; with the 10 s cap that is 8640 guesses a day from one address. That is a brake,
   * not a lock: a password long enough (16 random characters) is what makes guessing hopeless,
   * and a botnet with many addresses is not slowed by any per-address rule. A success does not
   * clear an address's failures (a guesser sharing an address with a real client would otherwise
   * get a fresh budget each time the client connects); they age out. The table is bounded: past
   * MAX_ADDRESSES the least recently seen address is forgotten.
   */
  /** How slow: the first delay, its cap, how long failures are remembered, the longest queue wait. */
  public record Policy(Duration firstDelay, Duration maxDelay, Duration forgetAfter, Duration maxWait) {
    public Policy {
      if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0 || forgetAfter.isNegative()
          || maxWait.isNegative()) {
        throw new IllegalArgumentException("auth throttle: " + firstDelay + ", " + maxDelay + ", " + forgetAfter
            + ", " + maxWait + " (expected: 0 <= firstDelay <= maxDelay, forgetAfter >= 0, maxWait >= 0)");
      }
    }
  }

  public static final Policy DEFAULT =
      new Policy(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1));
  static final int MAX_ADDRESSES = 65_536;
  /** What {@link #admit} returns for an attempt that would wait more than the policy's maxWait. */
  public static final long REFUSED = -1;

  private static final class State {
    int failures;
    long lastFailure;
    long nextSlot;
  }

  private final Policy policy;
  private final LongSupplier nanoClock;
  private final Map<String, State> states = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  public AuthThrottle(Policy policy) {
    this(policy, System::nanoTime);
  }

  /** With a clock of nanoseconds (System::nanoTime, or a test's). */
  public AuthThrottle(Policy policy, LongSupplier nanoClock) {
    this.policy = policy;
    this.nanoClock = nanoClock;
  }

  /**
   * Nanoseconds an authentication attempt from {@code address} must wait before it is checked
   * (0: check it now), or {@link #REFUSED}; the attempt's turn is reserved.
   */
  public synchronized long admit(InetAddress address) {
    long now = nanoClock.getAsLong();
    State s = current(key(address), now);
    if (s == null) {
      return 0;
    }
    long slot = Math.max(now, s.nextSlot);
    long wait = slot - now;
    if (wait > policy.maxWait().toNanos()) {
      return REFUSED;
    }
    s.nextSlot = slot + step(s.failures);
    return wait;
  }

  /** A wrong password (or unknown user) from {@code address}; returns its recent failures. */
  public synchronized int failed(InetAddress address) {
    long now = nanoClock.getAsLong();
    String key = key(address);
    State s = current(key, now);
    if (s == null) {
      s = new State();
      states.put(key, s);
    }
    s.failures = s.failures == Integer.MAX_VALUE ? s.failures : s.failures + 1;
    s.lastFailure = now;
    s.nextSlot = Math.max(s.nextSlot, now + step(s.failures));
    return s.failures;
  }

  /** The recent failures from {@code address}. */
  public synchronized int failures(InetAddress address) {
    State s = current(key(address), nanoClock.getAsLong());
    return s == null ? 0 : s.failures;
  }

  private State current(String key, long now) {
    State s = states.get(key);
    if (s != null && now - s.lastFailure > policy.forgetAfter().toNanos() && now >= s.nextSlot) {
      states.remove(key);
      return null;
    }
    return s;
  }

  private long step(int failures) {
    long first = policy.firstDelay().toNanos();
    long max = policy.maxDelay().toNanos();
    int shift = Math.min(Math.max(failures - 1, 0), 40);
    long delay = first << shift;
    return delay < first || delay > max ? max : delay; // overflow or over the cap
  }

  /** IPv4: the address; IPv6: its /64 network, since one host commonly has a whole /64. */
  static String key(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    }
    return address.getHostAddress();
  }
}
