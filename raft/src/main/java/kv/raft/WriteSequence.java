package kv.raft;

import java.util.TreeSet;

/**
 * A client's sequence numbers for one group's writes, and its floor: the smallest number not
 * finished yet. Every request below the floor has been answered (or given up on) and is never
 * sent again, so the state machine may forget its reply. Thread-safe.
 */
final class WriteSequence {
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long next;

  /** A new number, unfinished until {@link #finished}. */
  synchronized long next() {
    long seq = next++;
    unfinished.add(seq);
    return seq;
  }

  synchronized void finished(long seq) {
    unfinished.remove(seq);
  }

  synchronized long floor() {
    return unfinished.isEmpty() ? next : unfinished.first();
  }
}
