package kv.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Group commit for one group's requests: at most {@code slots} batches in flight; requests that
 * arrive while every slot is busy wait and leave together as the next batch when a slot frees
 * (up to {@code maxOps} requests and about {@code maxBytes}, at least one), in arrival order.
 * Under low load each request leaves at once on its own; under load batches grow by themselves,
 * as etcd batches proposals. Thread-safe; {@link Sender#send} is called outside the lock.
 *
 * @param <T> a pending request
 */
final class Batcher<T> {
  /** Sends one batch on one slot; the slot is busy until {@link #done} is called with it. */
  @FunctionalInterface
  interface Sender<T> {
    void send(int slot, List<T> batch);
  }

  private final int maxOps;
  private final long maxBytes;
  private final ToLongFunction<T> size;
  private final Sender<T> sender;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final ArrayDeque<Integer> free = new ArrayDeque<>();

  Batcher(int slots, int maxOps, long maxBytes, ToLongFunction<T> size, Sender<T> sender) {
    if (slots < 1 || maxOps < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("batcher: slots " + slots + ", max ops " + maxOps + ", max bytes " + maxBytes
          + " (expected: all >= 1)");
    }
    this.maxOps = maxOps;
    this.maxBytes = maxBytes;
    this.size = size;
    this.sender = sender;
    for (int i = 0; i < slots; i++) {
      free.add(i);
    }
  }

  /** Queues {@code op}, and sends a batch at once if a slot is free. */
  void submit(T op) {
    int slot;
    List<T> batch;
    synchronized (this) {
      queue.add(op);
      if (free.isEmpty()) {
        return;
      }
      slot = free.poll();
      batch = take();
    }
    sender.send(slot, batch);
  }

  /** The batch on {@code slot} has finished: sends the next one on it, or frees it. */
  void done(int slot) {
    List<T> batch;
    synchronized (this) {
      if (queue.isEmpty()) {
        free.push(slot);
        return;
      }
      batch = take();
    }
    sender.send(slot, batch);
  }

  /** Removes and returns every request still waiting (e.g. to fail them at once). */
  synchronized List<T> drain() {
    List<T> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  synchronized int waiting() {
    return queue.size();
  }

  synchronized int freeSlots() {
    return free.size();
  }

  private List<T> take() {
    List<T> batch = new ArrayList<>(Math.min(queue.size(), maxOps));
    long bytes = 0;
    while (!queue.isEmpty() && batch.size() < maxOps) {
      long s = size.applyAsLong(queue.peek());
      if (!batch.isEmpty() && bytes + s > maxBytes) {
        break;
      }
      bytes += s;
      batch.add(queue.poll());
    }
    return batch;
  }
}
