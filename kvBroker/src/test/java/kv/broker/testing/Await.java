package kv.broker.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** Waits for a condition with a deadline (Awaitility, polling every 10 ms). */
public final class Await {
  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
  }

  /**
   * Checks that {@code condition} holds throughout {@code during} (then the periodic work that
   * could break it has had several turns); a slow machine can only make this miss a failure,
   * never report a false one.
   */
  public static void stays(String what, Duration during, BooleanSupplier condition) {
    Awaitility.await(what).during(during).atMost(during.plusSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  public static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(10), condition);
  }
}
