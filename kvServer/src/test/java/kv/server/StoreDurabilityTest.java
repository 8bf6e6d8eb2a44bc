package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kv.clock.HybridLogicalClock;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.server.durable.DurableConfig;
import kv.server.durable.DurableLog;
import kv.server.durable.FsyncPolicy;
import kv.server.durable.TestDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Store over a real log on a disk that fills up or fsyncs slowly (issue 12, scenarios 8 and
 * 11): nothing is applied, seen or acknowledged that the log does not hold as the fsync policy
 * promises.
 */
class StoreDurabilityTest {
  @TempDir
  Path tmp;
  private final TestDisk disk = new TestDisk();
  private final Store store = new Store(new HybridLogicalClock(3));
  private DurableLog log;

  private static SetValue set(String name) {
    return SetValue.builder().put("name", new StringValue(name)).build();
  }

  private void open(FsyncPolicy policy) throws Exception {
    DurableConfig config = DurableConfig.of(tmp.resolve("data")).withFsync(policy);
    log = TestDisk.open(config, store::replayEntry, store::snapshot, disk);
    store.logTo(log);
  }

  @AfterEach
  void close() throws Exception {
    disk.releaseForces();
    if (log != null) {
      log.close();
    }
  }

  @Test
  void aWriteTheLogRefusesIsNotAppliedAndWritesWorkAgainWhenSpaceReturns() throws Exception {
    open(FsyncPolicy.EVERY_INTERVAL);
    store.put("kept", set("kept"));
    disk.full(true, 5); // a short write of 5 bytes, then ENOSPC
    for (Runnable write : Arrays.<Runnable>asList(() -> store.put("k", set("refused")),
        () -> store.apply("k", 1L << 40, set("refused")), () -> store.delete("kept"))) {
      assertThatThrownBy(write::run).isInstanceOf(CommandException.class)
          .hasMessage("write refused: the log cannot be written (No space left on device in " + tmp.resolve("data")
              + "); nothing was applied");
    }
    assertThat(store.get("k")).as("refused, so not applied").isNull();
    assertThat(store.get("kept")).as("the refused delete did nothing").isEqualTo(set("kept"));
    assertThat(store.liveCount()).isEqualTo(1);

    disk.full(false, 0);
    store.put("k", set("accepted"));
    assertThat(store.get("k")).isEqualTo(set("accepted"));
    log.close();

    Store replayed = new Store(new HybridLogicalClock(4));
    DurableLog.open(DurableConfig.of(tmp.resolve("data")), replayed::replayEntry, replayed::snapshot).close();
    assertThat(replayed.get("k")).isEqualTo(set("accepted"));
    assertThat(replayed.get("kept")).isEqualTo(set("kept"));
    assertThat(replayed.liveCount()).isEqualTo(2);
  }

  /**
   * Scenario 8: under --fsync always, a write is seen, and a stale write answered ":0" because
   * of it, only once the write is on the disk.
   */
  @Test
  void underFsyncAlwaysNothingIsSeenOrAcknowledgedBeforeItsFsync() throws Exception {
    open(FsyncPolicy.ALWAYS);
    disk.holdForces();
    int before = disk.forcesStarted();
    AtomicReference<Object> winner = new AtomicReference<>();
    Thread a = new Thread(() -> winner.set(store.apply("k", 200, set("v200"))), "winner");
    a.start();
    ServerFixture.await(Duration.ofSeconds(30), "the winner's fsync", () -> disk.forcesStarted() > before);
    assertThat(store.entry("k")).as("not on the disk yet, so not visible").isNull();

    AtomicReference<Object> stale = new AtomicReference<>();
    AtomicInteger forcesWhenAnswered = new AtomicInteger(-1);
    Thread b = new Thread(() -> {
      boolean applied = store.apply("k", 100, set("v100"));
      forcesWhenAnswered.set(disk.forcesCompleted());
      stale.set(applied);
    }, "stale");
    b.start();
    ServerFixture.await(Duration.ofSeconds(30), "the stale write answered or waiting for the log",
        () -> stale.get() != null || waitingInTheLog(b));
    int completedBeforeRelease = disk.forcesCompleted();
    disk.releaseForces();
    a.join(30_000);
    b.join(30_000);
    assertThat(winner.get()).isEqualTo(true);
    assertThat(forcesWhenAnswered.get()).as("the stale write was answered only after an fsync")
        .isGreaterThan(completedBeforeRelease);
    assertThat(store.entry("k").version()).isEqualTo(200);
  }

  /* Waiting for the log's fsync, or for the key's lock, which the winner holds until its write is applied. */
  private static boolean waitingInTheLog(Thread t) {
    return (t.getState() == Thread.State.WAITING
        && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("kv.server.durable.")))
        || (t.getState() == Thread.State.BLOCKED
        && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals(Store.class.getName())));
  }
}
