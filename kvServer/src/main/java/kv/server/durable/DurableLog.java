package kv.server.durable;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.record.SetValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's write-ahead log over a data directory (layout: see {@link DataDirectory}):
 * replays at {@link #open}, appends every applied write before it is acknowledged, fsyncs per
 * {@link FsyncPolicy}, and compacts itself into a snapshot in the background. Thread-safe.
 */
public final class DurableLog implements Closeable {
  /*
   * Contract with the caller (the Store):
   *  - apply a write to the in-memory trie first (version-checked), then append() it, then
   *    acknowledge. A compaction switches to a new segment and only then asks the SnapshotSource
   *    for its entries, so every write appended to an old segment is already in the trie the
   *    snapshot reads; writes racing with the switch land in the new segment and may also be in
   *    the snapshot, which is harmless because applying by version is idempotent.
   *  - replay visitors apply by version too (last writer wins), for the same reason.
   * Compaction runs when the log (segments after the newest snapshot) exceeds
   * max(compactMinBytes, 2 x snapshot size): disk use and restart time stay proportional to the
   * live data, as with Redis' auto-aof-rewrite.
   */
  private static final Logger log = LoggerFactory.getLogger(DurableLog.class);

  /**
   * For INFO: log bytes since the snapshot, snapshot bytes, compactions done, current segment,
   * when the last compaction finished (epoch ms, 0: none since start), and whether appends are
   * still accepted (false after a write or fsync error).
   */
  public record Stats(long logBytes, long snapshotBytes, long compactions, long segment,
      long lastCompactionMillis, boolean writable) {}

  private final DurableConfig config;
  private final DataDirectory dir;
  private final SnapshotSource source;
  private final ReplayStats replayStats;
  private final LogWriter writer;
  private final AtomicLong logBytes;
  private final AtomicLong compactions = new AtomicLong();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private final ExecutorService compactor;
  private final ScheduledExecutorService flusher;
  private volatile long snapshotBytes;
  private volatile long lastCompactionMillis;
  private volatile long retryAtLogBytes;
  private volatile long tombstoneFloor = Long.MIN_VALUE;
  private volatile boolean closing;

  private DurableLog(DurableConfig config, DataDirectory dir, SnapshotSource source, ReplayStats stats,
      Segment segment, long logBytes, long snapshotBytes) {
    this.config = config;
    this.dir = dir;
    this.source = source;
    this.replayStats = stats;
    this.logBytes = new AtomicLong(logBytes);
    this.snapshotBytes = snapshotBytes;
    this.writer = new LogWriter(segment, config.fsync(), this::written);
    this.compactor = Executors.newSingleThreadExecutor(daemon("kv-durable-compact"));
    if (config.fsync() == FsyncPolicy.EVERY_INTERVAL) {
      long ms = config.fsyncInterval().toMillis();
      flusher = Executors.newSingleThreadScheduledExecutor(daemon("kv-durable-fsync"));
      flusher.scheduleWithFixedDelay(this::fsync, Math.max(1, ms), Math.max(1, ms), TimeUnit.MILLISECONDS);
    } else {
      flusher = null;
    }
  }

  /**
   * Locks the directory (creating it if needed), replays the newest snapshot and the log after
   * it into {@code replayTo}, and returns the log ready for appends. {@code source} is what
   * compactions snapshot. Throws {@link CorruptLogException} if the data is damaged anywhere but
   * in a torn last record, and an IOException naming the lock if another server uses the directory.
   */
  public static DurableLog open(DurableConfig config, EntryVisitor replayTo, SnapshotSource source)
      throws IOException {
    Objects.requireNonNull(replayTo, "replayTo");
    Objects.requireNonNull(source, "source");
    DataDirectory dir = DataDirectory.lock(config.dir());
    try {
      dir.deleteTemps();
      DataDirectory.Layout layout = dir.scan();
      Replayer replayer = new Replayer(dir);
      ReplayStats stats = replayer.replay(layout, replayTo);
      long snapshot = layout.snapshot();
      if (snapshot >= 0) {
        dir.deleteBefore(snapshot);
      }
      Segment segment;
      if (layout.segments().isEmpty()) {
        long first = Math.max(1, snapshot);
        segment = Segment.open(first, dir.segment(first), 0);
        dir.fsync();
      } else {
        long last = layout.segments().get(layout.segments().size() - 1);
        segment = Segment.open(last, dir.segment(last), replayer.lastSegmentEnd());
      }
      long bytes = 0;
      for (long n : layout.segments()) {
        bytes += Files.size(dir.segment(n));
      }
      long snapBytes = snapshot >= 0 ? Files.size(dir.snapshot(snapshot)) : 0;
      log.info("replayed {} entries from the snapshot and {} from {} log segment(s) of {} in {} ms",
          stats.snapshotEntries(), stats.logEntries(), stats.segments(), config.dir(), stats.millis());
      return new DurableLog(config, dir, source, stats, segment, bytes, snapBytes);
    } catch (IOException | RuntimeException | Error e) {
      try {
        dir.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The settings it was opened with. */
  public DurableConfig config() {
    return config;
  }

  /** The data directory as the user named it, e.g. {@code ./127.0.0.1-9000}, for messages. */
  public java.nio.file.Path shownDirectory() {
    return dir.shownAs();
  }

  /** What {@link #open} replayed. */
  public ReplayStats replayStats() {
    return replayStats;
  }

  /**
   * Appends one applied write (value null: a tombstone). When this returns the record is in the
   * OS page cache (it survives the process being killed) and, under {@link FsyncPolicy#ALWAYS},
   * on the disk. Throws IOException if the log cannot be written; from then on every append throws.
   */
  public void append(String key, long version, SetValue valueOrNull) throws IOException {
    Objects.requireNonNull(key, "key");
    writer.append(Frames.entry(key, version, valueOrNull));
  }

  /**
   * From the next snapshot on, leaves out tombstones with a version below {@code version}. Call
   * only when every replica has seen those deletes (a dropped tombstone can no longer beat a
   * stale copy of the record); the caller should drop them from memory too. Never lowers.
   */
  public synchronized void dropTombstonesBefore(long version) {
    tombstoneFloor = Math.max(tombstoneFloor, version);
  }

  /** Starts a compaction now (after any running one); the future completes when it is done. */
  public CompletableFuture<Void> compact() {
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

  public Stats stats() {
    return new Stats(logBytes.get(), snapshotBytes, compactions.get(), writer.currentSegmentNumber(),
        lastCompactionMillis, writer.usable());
  }

  private void written(long bytes) {
    maybeCompact(logBytes.addAndGet(bytes));
  }

  private void maybeCompact(long total) {
    if (total > Math.max(Math.max(config.compactMinBytes(), 2 * snapshotBytes), retryAtLogBytes)
        && !closing && compactionQueued.compareAndSet(false, true)) {
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
    if (closing) {
      throw new CancellationException("durable log: closing");
    }
    long started = System.nanoTime();
    Segment old = writer.rollOver(this::createSegment);
    long next = old.number + 1;
    old.close();
    Path temp = dir.snapshotTemp(next);
    SnapshotWriter.Result result;
    try {
      result = SnapshotWriter.write(temp, next, source, tombstoneFloor, () -> closing);
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
    Segment fresh = Segment.open(number, path, 0);
    try {
      dir.fsync();
    } catch (IOException | RuntimeException e) {
      fresh.close();
      Files.deleteIfExists(path);
      throw e;
    }
    return fresh;
  }

  private void fsync() {
    try {
      writer.forceCurrent();
    } catch (IOException e) {
      log.error("fsync of the log in {} failed; it accepts no more writes", config.dir(), e);
    } catch (RuntimeException e) {
      log.error("fsync of the log in {} failed", config.dir(), e);
    }
  }

  /**
   * Abandons a running compaction (its temp file is deleted; the next start ignores any left),
   * stops the fsync thread, writes and forces what is buffered and releases the directory.
   * Appends after close throw IllegalStateException. Idempotent.
   */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    compactor.shutdown();
    if (flusher != null) {
      flusher.shutdown();
    }
    awaitQuietly(compactor);
    if (flusher != null) {
      awaitQuietly(flusher);
    }
    try {
      writer.close();
    } finally {
      dir.close();
    }
    log.info("closed the log in {}", config.dir());
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("a durable log thread did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
