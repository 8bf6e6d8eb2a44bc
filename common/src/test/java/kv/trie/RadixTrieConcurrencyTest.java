package kv.trie;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * One writer and several readers for about a second. The writer sets generation g on every key
 * in ascending key order (one atomic put per key), so any consistent snapshot shows g on a
 * leading run of keys and g - 1 on the rest; around each put it also adds and removes keys that
 * split and re-merge the labels on that key's path (value -1), so readers race with structural
 * changes, not just value swaps.
 */
class RadixTrieConcurrencyTest {
  private static final int KEYS = 48;
  private static final long RUN_MILLIS = 1_000;

  private static String key(int i) {
    return String.format("user:%02d:profile", i);
  }

  @Test
  void readersSeeWholeWritesAndConsistentSnapshots() throws InterruptedException {
    RadixTrie<Long> trie = new RadixTrie<>();
    for (int i = 0; i < KEYS; i++) {
      trie.put(key(i), 0L);
    }
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicLong generations = new AtomicLong();
    AtomicLong snapshotsChecked = new AtomicLong();
    AtomicLong getsChecked = new AtomicLong();

    List<Thread> threads = new ArrayList<>();
    threads.add(worker("writer", failures, () -> {
      for (long g = 1; !stop.get(); g++) {
        for (int i = 0; i < KEYS; i++) {
          String k = key(i);
          String shorter = k.substring(0, k.length() - 4); // "user:07:pro": splits ":profile"
          String sibling = k.replace("profile", "prx");   // splits it elsewhere, with a sibling
          trie.put(shorter, -1L);
          trie.put(sibling, -1L);
          trie.put(k, g);
          trie.remove(shorter);
          trie.compute(sibling, (key, v) -> null);
        }
        generations.set(g);
      }
    }));
    threads.add(worker("snapshot-reader", failures, () -> {
      while (!stop.get()) {
        checkSnapshot(ThreadLocalRandom.current().nextBoolean() ? trie.iterator() : trie.prefixIterator("user:"));
        snapshotsChecked.incrementAndGet();
      }
    }));
    threads.add(worker("get-reader", failures, () -> {
      long[] lastSeen = new long[KEYS];
      while (!stop.get()) {
        int i = ThreadLocalRandom.current().nextInt(KEYS);
        Long value = trie.get(key(i));
        assertThat(value).as("get %s", key(i)).isNotNull().isGreaterThanOrEqualTo(lastSeen[i]);
        lastSeen[i] = value;
        assertThat(trie.size()).isBetween(KEYS, KEYS + 2);
        getsChecked.incrementAndGet();
      }
    }));

    threads.forEach(Thread::start);
    try { // run for RUN_MILLIS, or until a worker fails
      Awaitility.await().atMost(Duration.ofMillis(RUN_MILLIS)).pollInterval(Duration.ofMillis(10))
          .until(() -> !failures.isEmpty());
    } catch (ConditionTimeoutException ranTheWholeTime) {
      // no failure within the run: the expected outcome
    }
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(10_000);
      assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
    }
    assertThat(failures).isEmpty();
    assertThat(generations.get()).isGreaterThan(2);
    assertThat(snapshotsChecked.get()).isGreaterThan(2);
    assertThat(getsChecked.get()).isGreaterThan(100);
    checkSnapshot(trie.iterator());
    assertThat(trie.size()).isEqualTo(KEYS);
  }

  /** Generations must be g on a leading run of the keys and g - 1 after it, in ascending key order. */
  private static void checkSnapshot(Iterator<Map.Entry<String, Long>> it) {
    List<Long> generations = new ArrayList<>();
    String previousKey = null;
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (previousKey != null) {
        assertThat(e.getKey()).isGreaterThan(previousKey);
      }
      previousKey = e.getKey();
      if (e.getKey().endsWith(":profile")) {
        assertThat(e.getKey()).isEqualTo(key(generations.size()));
        generations.add(e.getValue());
      } else {
        assertThat(e.getValue()).as("churn key %s", e.getKey()).isEqualTo(-1L);
      }
    }
    assertThat(generations).as("generations in key order").hasSize(KEYS);
    long first = generations.get(0);
    for (int i = 1; i < KEYS; i++) {
      long g = generations.get(i);
      assertThat(g).as("generations %s", generations).isBetween(first - 1, generations.get(i - 1));
    }
  }

  private static Thread worker(String name, ConcurrentLinkedQueue<Throwable> failures, Runnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        failures.add(t);
      }
    }, name);
    thread.setDaemon(true);
    return thread;
  }
}
