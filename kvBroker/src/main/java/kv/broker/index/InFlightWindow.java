package kv.broker.index;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the records in flight while indexing: the one reading thread takes a slot per record and
 * waits while all {@code size} are taken; completions, on any thread, give slots back. A waiting
 * reader is woken once half the window is free again rather than at every completion, so a full
 * window costs one wake-up per {@code size / 2} records instead of one per record. Thread-safe for
 * one taker and any number of givers.
 */
final class InFlightWindow {
  /*
   * Only the taker adds to inFlight, so once it sees a free slot the slot stays free. The taker
   * publishes the level it waits for (wakeAt, volatile) and then reads inFlight; a giver
   * decrements inFlight and then reads wakeAt. Volatile accesses are sequentially consistent, so
   * either the taker sees the decrement and does not wait, or the giver sees wakeAt and notifies,
   * under the lock the taker holds until it waits: no wake-up is lost.
   */
  private static final int NOBODY = -1;

  private final int size;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object lock = new Object();
  private volatile int wakeAt = NOBODY;

  InFlightWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 1)");
    }
    this.size = size;
  }

  /** Takes a slot, first waiting (until half the window is free) when none is. */
  void take() throws InterruptedException {
    if (inFlight.get() >= size) {
      awaitAtMost(size / 2);
    }
    inFlight.incrementAndGet();
  }

  /** Gives a slot back. */
  void give() {
    int now = inFlight.decrementAndGet();
    if (now <= wakeAt) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** Waits, without giving up on an interrupt (it is kept for the caller), until no slot is taken. */
  void awaitEmpty() {
    boolean interrupted = false;
    while (inFlight.get() > 0) {
      try {
        awaitAtMost(0);
      } catch (InterruptedException e) {
        interrupted = true; // wait() cleared the flag: the next wait blocks again
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  private void awaitAtMost(int level) throws InterruptedException {
    synchronized (lock) {
      wakeAt = level;
      try {
        while (inFlight.get() > level) {
          lock.wait();
        }
      } finally {
        wakeAt = NOBODY;
      }
    }
  }
}
