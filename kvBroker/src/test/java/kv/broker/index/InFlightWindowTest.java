package kv.broker.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InFlightWindowTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** Polls until the thread parks (WAITING) or ends; fails after the deadline. */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("thread still %s", thread.getState()).isLessThan(end);
      Thread.onSpinWait();
    }
  }

  @Test
  void aFullWindowWaitsUntilHalfOfItIsFree() throws Exception {
    InFlightWindow window = new InFlightWindow(4);
    for (int i = 0; i < 4; i++) {
      window.take();
    }
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread taker = new Thread(() -> {
      try {
        window.take();
      } catch (Throwable e) {
        failed.set(e);
      }
    });
    taker.start();
    awaitWaiting(taker);
    window.give(); // 3 taken: more than half, the taker keeps waiting
    awaitWaiting(taker);
    assertThat(taker.isAlive()).isTrue();
    window.give(); // 2 taken: half free, the taker goes on
    taker.join(DEADLINE.toMillis());
    assertThat(taker.isAlive()).isFalse();
    assertThat(failed.get()).isNull();
    assertThat(window.inFlight()).isEqualTo(3);
  }

  @Test
  void neverMoreInFlightThanTheWindowAndEveryoneIsWaitedFor() throws Exception {
    int size = 16;
    InFlightWindow window = new InFlightWindow(size);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService givers = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 20_000; i++) {
        window.take();
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        givers.execute(() -> {
          if (ThreadLocalRandom.current().nextInt(8) == 0) {
            Thread.yield();
          }
          running.decrementAndGet();
          done.incrementAndGet();
          window.give();
        });
      }
      window.awaitEmpty();
      assertThat(done.get()).isEqualTo(20_000);
      assertThat(window.inFlight()).isZero();
      assertThat(most.get()).isBetween(1, size);
    } finally {
      givers.shutdownNow();
      givers.awaitTermination(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void awaitEmptyKeepsWaitingThroughAnInterruptAndKeepsTheInterrupt() throws Exception {
    InFlightWindow window = new InFlightWindow(2);
    window.take();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      window.awaitEmpty();
      interruptedAfter.set(Thread.currentThread().isInterrupted());
    });
    waiter.start();
    awaitWaiting(waiter);
    waiter.interrupt();
    awaitWaiting(waiter); // still waiting for the slot
    assertThat(interruptedAfter.get()).isNull();
    window.give();
    waiter.join(DEADLINE.toMillis());
    assertThat(waiter.isAlive()).isFalse();
    assertThat(interruptedAfter.get()).isTrue();
  }

  @Test
  void theWindowHoldsAtLeastOneSlot() {
    assertThatThrownBy(() -> new InFlightWindow(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size: 0 (expected: >= 1)");
  }
}
