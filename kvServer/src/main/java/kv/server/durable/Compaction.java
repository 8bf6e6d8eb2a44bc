package kv.server.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts a {@link DurableLog} into a snapshot on a thread of its own: when the log has grown
 * enough, or when asked. Switches the writer to a new segment, writes the snapshot from the
 * {@link SnapshotSource} and deletes what it supersedes. Thread-safe.
 */
final class Compaction {
  private static final Logger log = LoggerFactory.getLogger(DurableLog.class);

  private final DurableConfig config;
  private final DataDirectory dir;
  private final SegmentFiles files;
  private final SnapshotSource source;
  private final LogWriter writer;
  /** Its write lock is the barrier after a roll-over (see DurableLog: appends hold the read lock). */
  private final ReadWriteLock inFlight;
  /** Bytes of log since the snapshot, shared with the DurableLog that counts what is written. */
  private final AtomicLong logBytes;
  private final BooleanSupplier closing;
  private final ExecutorService compactor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kv-durable-compact");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong compactions = new AtomicLong();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private volatile long snapshotBytes;
  private volatile long lastCompactionMillis;
  private volatile long retryAtLogBytes;

  Compaction(DurableConfig config, DataDirectory dir, SegmentFiles files, SnapshotSource source, LogWriter writer,
      ReadWriteLock inFlight, AtomicLong logBytes, long snapshotBytes, BooleanSupplier closing) {
    this.config = config;
    this.dir = dir;
    this.files = files;
    this.source = source;
    this.writer = writer;
    this.inFlight = inFlight;
    this.logBytes = logBytes;
    this.snapshotBytes = snapshotBytes;
    this.closing = closing;
  }

  long snapshotBytes() {
    return snapshotBytes;
  }

  long compactions() {
    return compactions.get();
  }

  /** When the last compaction finished (epoch ms; 0: none since start). */
  long lastCompactionMillis() {
    return lastCompactionMillis;
  }

  /** Starts a compaction now (after any running one); the future completes when it is done. */
  CompletableFuture<Void> compactNowAsync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      compactor.execute(() -> {
        try {
          compactNow();
          done.complete(null);
        } catch (Exception | Error e) {
          done.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException("durable log: closed (expected: compact before close)"));
    }
    return done;
  }

  /** After a write: compacts in the background once the log exceeds the threshold. */
  void maybeCompact(long total) {
    if (total > Math.max(Math.max(config.compactMinBytes(), 2 * snapshotBytes), retryAtLogBytes)
        && !closing.getAsBoolean() && compactionQueued.compareAndSet(false, true)) {
      try {
        compactor.execute(this::autoCompact);
      } catch (RejectedExecutionException e) {
        compactionQueued.set(false);
      }
    }
  }

  private void autoCompact() {
    try {
      compactNow();
    } catch (CancellationException e) {
      log.info("compaction abandoned: the log is closing");
    } catch (Exception | Error e) {
      retryAtLogBytes = logBytes.get() + config.compactMinBytes();
      log.error("compaction of {} failed; retrying after {} more bytes of log", config.dir(),
          config.compactMinBytes(), e);
    } finally {
      compactionQueued.set(false);
    }
    // Writes that came during the compaction may already be over the threshold again; without
    // this check the log would wait for the next write to compact them.
    maybeCompact(logBytes.get());
  }

  /** Runs on the compaction thread only, so segment numbers cannot change under it. */
  private void compactNow() throws IOException {
    /*
     * The order of writes and fsyncs at a roll-over from log.N to log.N+1, and why:
     *  1. Under the writer's I/O lock: write what is buffered to log.N and fsync log.N. No
     *     append can reach log.N after this (it would go to log.N+1), so log.N is complete, and
     *     on the disk, before log.N+1 exists: a crash can no longer leave a torn record in a
     *     segment that is not the last one (an older kvServer created log.N+1 before taking the
     *     lock; Replayer still accepts what that left, see Replayer.blankTail).
     *  2. Still under the lock: create log.N+1 and fsync the directory, so log.N+1's name is
     *     durable, and only then send appends to it. (If creating it fails, appends stay on log.N
     *     and the file, if any, is deleted: an empty last segment is harmless anyway.)
     *  3. Write snapshot.N+1.tmp from the trie (which already holds every write log.N holds),
     *     fsync it, rename it to snapshot.N+1 and fsync the directory: the snapshot is complete or
     *     absent. A crash before the rename leaves log.N and log.N+1 to replay, after it
     *     snapshot.N+1 and log.N+1 (Replayer checks that the history is complete).
     *  4. Delete log.M for M <= N and older snapshots: superseded, so a crash between the
     *     deletions only leaves files the next start deletes.
     */
    if (closing.getAsBoolean()) {
      throw new CancellationException("durable log: closing");
    }
    long started = System.nanoTime();
    Segment old = writer.rollOver(this::createSegment);
    long next = old.number + 1;
    // The barrier: appends whose frame went to the old segment have applied once this returns.
    inFlight.writeLock().lock();
    inFlight.writeLock().unlock();
    old.close();
    Path temp = dir.snapshotTemp(next);
    SnapshotWriter.Result result;
    try {
      result = SnapshotWriter.write(temp, next, source, closing);
      Files.move(temp, dir.snapshot(next), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    dir.fsync();
    long freed = dir.deleteBefore(next);
    logBytes.addAndGet(-freed);
    snapshotBytes = result.bytes();
    retryAtLogBytes = 0;
    lastCompactionMillis = System.currentTimeMillis();
    compactions.incrementAndGet();
    log.info("compacted {}: {} entries in {} ({} bytes), {} bytes of older log deleted, in {} ms",
        config.dir(), result.entries(), dir.snapshot(next).getFileName(), result.bytes(), freed,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Step 2 of a roll-over: the new, empty segment, its name fsynced in the directory. */
  private Segment createSegment(long number) throws IOException {
    Path path = dir.segment(number);
    Segment fresh = Segment.open(files, number, path, 0);
    try {
      dir.fsync();
    } catch (IOException | RuntimeException e) {
      fresh.close();
      Files.deleteIfExists(path);
      throw e;
    }
    return fresh;
  }


  /** Abandons a running compaction (it sees closing) and waits for the thread to stop. */
  void shutdown() {
    compactor.shutdown();
    try {
      if (!compactor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("the compaction thread did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
