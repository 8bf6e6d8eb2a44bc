package kv.broker.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests per second by command over the last {@link #SECONDS} seconds, for the status page's
 * chart: requests are counted as they come ({@link #count}), and {@link #tick} (once a second,
 * from a timer) moves each command's count into a ring of per-second values. Thread-safe.
 */
public final class RequestRates {
  /** How many seconds the chart covers: five minutes. */
  public static final int SECONDS = 300;

  private final Map<String, LongAdder> counting = new ConcurrentHashMap<>();
  /* Guarded by this: per command, the last SECONDS per-second counts, oldest first at position head. */
  private final Map<String, long[]> rings = new LinkedHashMap<>();
  private int head;
  private int ticks;
  private long lastTickMillis;

  /** One request of {@code command} answered. */
  public void count(String command) {
    LongAdder n = counting.get(command);
    if (n == null) {
      n = counting.computeIfAbsent(command, c -> new LongAdder());
    }
    n.increment();
  }

  /** Closes the current second at {@code nowMillis}: its counts become the ring's newest values. */
  public synchronized void tick(long nowMillis) {
    for (Map.Entry<String, LongAdder> e : counting.entrySet()) {
      rings.computeIfAbsent(e.getKey(), c -> new long[SECONDS]);
    }
    for (Map.Entry<String, long[]> e : rings.entrySet()) {
      LongAdder n = counting.get(e.getKey());
      e.getValue()[head] = n == null ? 0 : n.sumThenReset();
    }
    head = (head + 1) % SECONDS;
    ticks = Math.min(SECONDS, ticks + 1);
    lastTickMillis = nowMillis;
  }

  /** The per-second counts by command, oldest first, as many as seconds have passed (at most {@link #SECONDS}). */
  public synchronized Snapshot snapshot() {
    Map<String, List<Long>> series = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : rings.entrySet()) {
      List<Long> values = new ArrayList<>(ticks);
      for (int i = ticks; i > 0; i--) {
        values.add(e.getValue()[Math.floorMod(head - i, SECONDS)]);
      }
      series.put(e.getKey(), values);
    }
    return new Snapshot(lastTickMillis, series);
  }

  /** Per-second counts by command ending at {@code endMillis} (the newest second's end). */
  public record Snapshot(long endMillis, Map<String, List<Long>> series) {}
}
