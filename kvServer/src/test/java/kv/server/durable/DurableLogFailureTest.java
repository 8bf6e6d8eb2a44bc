package kv.server.durable;

import static kv.server.durable.DurableLogTest.config;
import static kv.server.durable.DurableLogTest.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import kv.testkit.LogCapture;

/** The log on a disk that fills up or fails, and the order of things at a compaction. */
class DurableLogFailureTest {
  @TempDir
  Path tmp;
  private final TestDisk disk = new TestDisk();

  private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(condition);
  }

  @Test
  void aFullDiskRefusesAppendsWithTheReasonAndAProbeFindsSpaceAgainWithoutAWrite() throws Exception {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    try (LogCapture logs = new LogCapture(DurableLog.class);
        DurableLog log = TestDisk.open(config(dir), store, store, disk)) {
      store.write(log, "a", 1, person("a", 1));
      disk.full(true, 0);
      assertThatThrownBy(() -> store.write(log, "b", 2, person("b", 2)))
          .isInstanceOf(IOException.class)
          .hasMessage("the log cannot be written (No space left on device in " + dir + ")");
      assertThat(store.contents()).containsOnlyKeys("a");
      assertThat(log.stats().writable()).isFalse();
      assertThat(log.stats().unwritable()).isEqualTo("No space left on device in " + dir
          + "; writes are refused, retried with every write and every second");
      int failed = disk.failedWrites();
      await("a probe", () -> disk.failedWrites() > failed);
      assertThat(log.stats().writable()).as("still full").isFalse();

      disk.full(false, 0);
      await("writable again without a write", () -> log.stats().writable());
      store.write(log, "c", 3, person("c", 3));
      assertThat(logs.messages()).contains("the log in " + dir + " cannot be written (No space left on device):"
          + " writes are refused, reads go on; retried with every write and every second",
          "the log in " + dir + " can be written again: writes are accepted");
    }
    TestStore replayed = new TestStore();
    DurableLog.open(config(dir), replayed, replayed).close();
    assertThat(replayed.contents()).containsOnlyKeys("a", "c");
  }

  @Test
  void aFailedFsyncRefusesEveryLaterAppendUntilARestart() throws Exception {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    try (DurableLog log = TestDisk.open(config(dir).withFsync(FsyncPolicy.ALWAYS), store, store, disk)) {
      store.write(log, "a", 1, person("a", 1));
      disk.failForces();
      assertThatThrownBy(() -> store.write(log, "b", 2, person("b", 2)))
          .hasMessage("the log in " + dir + " cannot be written: Input/output error");
      assertThatThrownBy(() -> store.write(log, "c", 3, person("c", 3)))
          .hasMessage("the log in " + dir + " cannot be written: it failed for good earlier (Input/output error)"
              + " and what the disk holds is uncertain; restart the server once the cause is fixed");
      assertThat(store.contents()).containsOnlyKeys("a");
      assertThat(log.stats().unwritable()).isEqualTo("Input/output error in " + dir
          + "; writes are refused until the server restarts");
    } catch (IOException e) {
      assertThat(e).hasMessage("Input/output error"); // close forces too
    }
  }

  /** Step 3 of a roll-over waits for appends whose frame is in the old segment to apply. */
  @Test
  void aCompactionSnapshotsOnlyOnceAppendsLoggedInTheOldSegmentHaveApplied() throws Exception {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      CompletableFuture<Boolean> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return log.append("slow", 1, person("slow", 1), () -> {
            applying.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return store.apply("slow", 1, person("slow", 1));
          });
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, r -> new Thread(r, "slow-writer").start());
      assertThat(applying.await(30, TimeUnit.SECONDS)).isTrue(); // logged in log.000001, not applied yet
      CompletableFuture<Void> compaction = log.compact();
      await("log.000002 started", () -> Files.exists(dir.resolve("log.000002")));
      assertThat(dir.resolve("snapshot.000002")).as("the snapshot waits for the slow writer").doesNotExist();
      release.countDown();
      assertThat(slow.get(30, TimeUnit.SECONDS)).isTrue();
      compaction.get(30, TimeUnit.SECONDS);
      assertThat(dir.resolve("log.000001")).doesNotExist();
    }
    TestStore replayed = new TestStore();
    DurableLog.open(config(dir), replayed, replayed).close();
    assertThat(replayed.contents()).containsOnlyKeys("slow");
  }

  /** Steps 1 and 2 of a roll-over: the old segment holds every frame, forced, before the next exists. */
  @Test
  void aRollOverWritesAndForcesTheOldSegmentBeforeItCreatesTheNext() throws Exception {
    Path first = tmp.resolve("log.000001");
    LogWriter writer = new LogWriter(Segment.open(disk.files(), 1, first, 0), FsyncPolicy.EVERY_INTERVAL, n -> { });
    long bytes = 0;
    for (int i = 0; i < 3; i++) {
      ByteSink frame = Frames.entry("k" + i, i, person("k", i));
      bytes += frame.size();
      writer.enqueue(frame); // buffered, not written yet
    }
    assertThat(Files.size(first)).isZero();
    long expected = bytes;
    int forcesBefore = disk.forcesCompleted();
    Segment old = writer.rollOver(number -> {
      assertThat(Files.size(first)).as("written before the next segment is created").isEqualTo(expected);
      assertThat(disk.forcesCompleted()).as("and forced").isGreaterThan(forcesBefore);
      return Segment.open(disk.files(), number, tmp.resolve("log.000002"), 0);
    });
    assertThat(old.number).isEqualTo(1);
    assertThat(writer.currentSegmentNumber()).isEqualTo(2);
    old.close();
    writer.close();
  }
}
