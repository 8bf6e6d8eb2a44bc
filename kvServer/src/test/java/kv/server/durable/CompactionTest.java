package kv.server.durable;

import static kv.server.durable.DurableLogTest.config;
import static kv.server.durable.DurableLogTest.copyDir;
import static kv.server.durable.DurableLogTest.person;
import static kv.server.durable.DurableLogTest.sizes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  @TempDir
  Path tmp;

  /** Bytes in the directory; files may vanish while it is listed (a compaction deletes them). */
  private static long total(Path dir) throws IOException {
    long sum = 0;
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          sum += Files.size(p);
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        }
      }
    }
    return sum;
  }

  private static TestStore replay(Path dir) throws IOException {
    TestStore store = new TestStore();
    DurableLog.open(config(dir), store, store).close();
    return store;
  }

  @Test
  void overwriteChurnKeepsTheDirectorySmallAndReplaysToTheSameState() throws Exception {
    Path dir = tmp.resolve("d");
    long min = 64 * 1024;
    TestStore store = new TestStore();
    long max = 0;
    long written;
    try (DurableLog log = DurableLog.open(config(dir).withCompactMinBytes(min), store, store)) {
      for (int i = 1; i <= 100_000; i++) {
        store.write(log, "person" + (i % 100), i, i % 10 == 0 ? null : person("name" + i, i));
        if (i % 500 == 0) {
          max = Math.max(max, total(dir));
        }
      }
      written = 100_000L * 45;
      log.compact().get();
      assertThat(log.stats().compactions()).isGreaterThan(10);
      assertThat(total(dir)).as("after a final compaction: %s", sizes(dir)).isLessThan(16 * 1024);
    }
    // 4.5 MB were written. The directory holds the threshold plus what arrives while one
    // compaction starts and runs (a few fsyncs: ~10 ms, or 100+ ms on a busy disk): typically
    // 0.2-1 MB here. Without compaction it would reach 4.5 MB.
    System.out.println("largest directory size seen: " + max);
    assertThat(max).as("largest directory size seen").isLessThan(written / 2);
    assertThat(replay(dir).contents()).isEqualTo(store.contents()).hasSize(100);
  }

  @Test
  void writesContinueDuringCompactionsAndNoneIsLost() throws Exception {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    AtomicBoolean stop = new AtomicBoolean();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(writers.submit(() -> {
          int n = 0;
          while (!stop.get() || n < 2_000) {
            n++;
            // both threads of a pair write the same keys: versions race, last writer wins
            store.write(log, "k" + (thread % 2) + "-" + (n % 300), n * 4L + thread, n % 11 == 0 ? null : person("t" + thread, n));
          }
          return n;
        }));
      }
      for (int c = 0; c < 20; c++) {
        log.compact().get();
      }
      stop.set(true);
      for (Future<Integer> f : done) {
        assertThat(f.get()).isGreaterThanOrEqualTo(2_000);
      }
      assertThat(log.stats().compactions()).isEqualTo(20);
    } finally {
      writers.shutdownNow();
    }
    assertThat(replay(dir).contents()).isEqualTo(store.contents());
  }

  @Test
  void aLeftoverTempSnapshotIsIgnoredAndDeleted() throws Exception {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      store.write(log, "a", 1, person("A", 1));
      log.compact().get();
      store.write(log, "b", 2, person("B", 2));
    }
    // A crash while writing the next snapshot: new segment started, temp half written.
    Files.write(dir.resolve("log.000003"), new byte[0]);
    Files.write(dir.resolve("snapshot.000003.tmp"), new byte[] {0, 0, 0, 9, 1, 2, 3});
    TestStore again = replay(dir);
    assertThat(again.contents()).isEqualTo(store.contents());
    assertThat(sizes(dir)).containsOnlyKeys("LOCK", "snapshot.000002", "log.000002", "log.000003");
  }

  @Test
  void aCrashAfterTheRenameLeavesOldFilesThatAreIgnoredAndDeleted() throws Exception {
    Path dir = tmp.resolve("d");
    Path before = tmp.resolve("before");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      store.write(log, "a", 1, person("A", 1));
      log.compact().get();
      store.write(log, "a", 2, null);
      store.write(log, "b", 3, person("B", 3));
    }
    copyDir(dir, before); // snapshot.000002, log.000002
    TestStore store2 = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store2, store2)) {
      log.compact().get();
    }
    assertThat(sizes(dir)).containsOnlyKeys("LOCK", "snapshot.000003", "log.000003");
    // Put back what the interrupted compaction had not deleted yet, plus a damaged old snapshot:
    // the newest snapshot supersedes them all, so they are not even read.
    Files.copy(before.resolve("log.000002"), dir.resolve("log.000002"));
    Files.write(dir.resolve("snapshot.000002"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("log.000001"), new byte[] {7});
    TestStore again = replay(dir);
    assertThat(again.contents()).isEqualTo(store.contents()).containsEntry("a", "2 <tombstone>");
    assertThat(sizes(dir)).containsOnlyKeys("LOCK", "snapshot.000003", "log.000003");
  }

  @Test
  void restartAfterCompactionReadsOnlyTheSnapshotAndTheNewSegment() throws Exception {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      for (int i = 0; i < 1000; i++) {
        store.write(log, "k" + (i % 10), i, person("n", i));
      }
      log.compact().get();
      store.write(log, "k0", 5000, person("last", 1));
    }
    TestStore again = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), again, again)) {
      assertThat(log.replayStats().snapshotEntries()).isEqualTo(10);
      assertThat(log.replayStats().logEntries()).isEqualTo(1);
      assertThat(log.stats().segment()).isEqualTo(2);
    }
    assertThat(again.contents()).isEqualTo(store.contents());
  }
}
