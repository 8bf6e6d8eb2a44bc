package kv.broker.health;

import kv.broker.config.BrokerConfig;

/**
 * Capped exponential backoff between reconnection attempts: starts at the minimum, doubles after
 * every failed attempt up to the maximum, and starts over after a success. Not thread-safe: the
 * owner guards it.
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(BrokerConfig config) {
    this.minMillis = config.minBackoff().toMillis();
    this.maxMillis = config.maxBackoff().toMillis();
    this.nextMillis = minMillis;
  }

  /** The delay before the next attempt; doubles the one after it (capped). */
  long next() {
    long delay = nextMillis;
    nextMillis = Math.min(nextMillis * 2, maxMillis);
    return delay;
  }

  /** A connection succeeded: the next failure waits the minimum again. */
  void reset() {
    nextMillis = minMillis;
  }
}
