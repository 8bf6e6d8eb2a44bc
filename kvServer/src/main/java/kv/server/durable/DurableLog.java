package kv.server.durable;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import kv.record.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's write-ahead log over a data directory (layout: see {@link DataDirectory}):
 * replays at {@link #open}, logs every write before the caller applies and acknowledges it,
 * fsyncs per {@link FsyncPolicy}, and compacts itself into a snapshot in the background.
 * Thread-safe.
 */
public final class DurableLog implements EntryLog, Closeable {
  /*
   * Contract with the caller (the Store): log first, then apply, then acknowledge.
   *  - append(key, version, value, apply) writes the frame (and under ALWAYS forces it) and only
   *    then runs apply, which puts the write into the in-memory trie. So whatever the trie holds
   *    is in the log as the policy promises: a reader, or a stale write answered ":0" because of
   *    a newer entry, never relies on a write that a crash (or, under ALWAYS, a power cut) could
   *    still lose; and a write the log cannot take (a full disk) is refused before anything is
   *    applied. The caller checks versions before appending (stale writes append nothing); two
   *    racing writes to one key may both be logged, and apply and replay both keep the newer
   *    (last writer wins), so memory and the log agree.
   *  - Compaction switches to a new segment, then waits until every append still in flight (its
   *    frame in an old segment, its apply perhaps not run yet) has applied (inFlight's write lock
   *    is that barrier), and only then asks the SnapshotSource for its entries: every write in an
   *    old segment is in the trie the snapshot reads. Writes racing with the switch land in the
   *    new segment and may also be in the snapshot, which is harmless because applying by version
   *    is idempotent.
   *  - replay visitors apply by version too (last writer wins), for the same reason.
   * Compaction runs when the log (segments after the newest snapshot) exceeds
   * max(compactMinBytes, 2 x snapshot size): disk use and restart time stay proportional to the
   * live data, as with Redis' auto-aof-rewrite.
   * A full disk: appends fail with the reason (nothing applied); every later append tries to
   * write again, and a probe every second checks whether space returned, so INFO turns writable
   * again without a write (see LogWriter).
   */
  private static final Logger log = LoggerFactory.getLogger(DurableLog.class);
  private static final long PROBE_MILLIS = 1000;

  /**
   * For INFO: log bytes since the snapshot, snapshot bytes, compactions done, current segment,
   * when the last compaction finished (epoch ms, 0: none since start), and why appends fail
   * (null: they are written).
   */
  public record Stats(long logBytes, long snapshotBytes, long compactions, long segment,
      long lastCompactionMillis, String unwritable) {
    /** Whether appends are written now. */
    public boolean writable() {
      return unwritable == null;
    }
  }

  private final DurableConfig config;
  private final DataDirectory dir;
  private final ReplayStats replayStats;
  private final LogWriter writer;
  private final AtomicLong logBytes;
  private final Compaction compaction;
  /** fsyncs (everysec) and probes a log that could not be written. */
  private final ScheduledExecutorService timer;
  /** Read: an append between logging and applying; write: compaction's barrier. */
  private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
  private final AtomicBoolean refusing = new AtomicBoolean();
  private volatile boolean closing;

  private DurableLog(DurableConfig config, SegmentFiles files, DataDirectory dir, SnapshotSource source,
      ReplayStats stats, Segment segment, long logBytes, long snapshotBytes) {
    this.config = config;
    this.dir = dir;
    this.replayStats = stats;
    this.logBytes = new AtomicLong(logBytes);
    this.writer = new LogWriter(segment, config.fsync(), this::written);
    this.compaction = new Compaction(config, dir, files, source, writer, inFlight, this.logBytes, snapshotBytes,
        () -> closing);
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("kv-durable-timer"));
    if (config.fsync() == FsyncPolicy.EVERY_INTERVAL) {
      long ms = Math.max(1, config.fsyncInterval().toMillis());
      timer.scheduleWithFixedDelay(this::fsync, ms, ms, TimeUnit.MILLISECONDS);
    }
    timer.scheduleWithFixedDelay(this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Locks the directory (creating it if needed), replays the newest snapshot and the log after
   * it into {@code replayTo}, and returns the log ready for appends. {@code source} is what
   * compactions snapshot. Throws {@link CorruptLogException} if the data is damaged anywhere but
   * in a torn last record, and an IOException naming the lock if another server uses the directory.
   */
  public static DurableLog open(DurableConfig config, EntryVisitor replayTo, SnapshotSource source)
      throws IOException {
    return open(config, replayTo, source, SegmentFiles.DEFAULT);
  }

  /** As {@link #open(DurableConfig, EntryVisitor, SnapshotSource)}, writing segments through {@code files}. */
  static DurableLog open(DurableConfig config, EntryVisitor replayTo, SnapshotSource source, SegmentFiles files)
      throws IOException {
    Objects.requireNonNull(replayTo, "replayTo");
    Objects.requireNonNull(source, "source");
    DataDirectory dir = DataDirectory.lock(config.dir());
    try {
      dir.deleteTemps();
      DataDirectory.Layout layout = dir.scan();
      Replayer replayer = new Replayer(dir);
      ReplayStats stats = replayer.replay(layout, replayTo);
      // What was replayed may be in the page cache only (the last server was killed before an
      // fsync): force it, so that nothing acknowledged from now on rests on data not yet on disk.
      for (long n : layout.segments()) {
        forceFile(dir.segment(n));
      }
      long snapshot = layout.snapshot();
      if (snapshot >= 0) {
        dir.deleteBefore(snapshot);
      }
      Segment segment;
      if (layout.segments().isEmpty()) {
        long first = Math.max(1, snapshot);
        segment = Segment.open(files, first, dir.segment(first), 0);
        dir.fsync();
      } else {
        long last = layout.segments().get(layout.segments().size() - 1);
        segment = Segment.open(files, last, dir.segment(last), replayer.lastSegmentEnd());
      }
      long bytes = 0;
      for (long n : layout.segments()) {
        bytes += Files.size(dir.segment(n));
      }
      long snapBytes = snapshot >= 0 ? Files.size(dir.snapshot(snapshot)) : 0;
      log.info("replayed {} entries from the snapshot and {} from {} log segment(s) of {} in {} ms",
          stats.snapshotEntries(), stats.logEntries(), stats.segments(), config.dir(), stats.millis());
      return new DurableLog(config, files, dir, source, stats, segment, bytes, snapBytes);
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
   * Logs one write (value null: a tombstone), then runs {@code applyOnceLogged} and returns what
   * it returns. When it runs, the record is in the OS page cache (it survives the process being
   * killed) and, under {@link FsyncPolicy#ALWAYS}, on the disk. If the log cannot take it, throws
   * an IOException whose message says why and where, e.g. {@code the log cannot be written (No
   * space left on device in ./data)}, and {@code applyOnceLogged} does not run.
   *
   * @throws IllegalArgumentException when the record is too large for one log frame
   */
  @Override
  public boolean append(String key, long version, Value valueOrNull, BooleanSupplier applyOnceLogged)
      throws IOException {
    Objects.requireNonNull(key, "key");
    ByteSink frame = Frames.entry(key, version, valueOrNull);
    inFlight.readLock().lock();
    try {
      try {
        writer.append(frame);
      } catch (IOException e) {
        throw refused(e);
      }
      return applyOnceLogged.getAsBoolean();
    } finally {
      inFlight.readLock().unlock();
    }
  }

  private IOException refused(IOException e) {
    boolean forGood = writer.failedForGoodYet();
    if (refusing.compareAndSet(false, true)) {
      log.error("the log in {} cannot be written ({}): writes are refused, reads go on{}", config.dir(), e.getMessage(),
          forGood ? ", until the server restarts" : "; retried with every write and every second");
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new IOException(forGood ? "the log in " + dir.shownAs() + " cannot be written: " + message
        : "the log cannot be written (" + reason(e) + ")", e);
  }

  /** "No space left on device in ./data". */
  private String reason(IOException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message + " in " + dir.shownAs();
  }

  /** Every second: while the last write failed, checks whether the log can be written again. */
  private void probe() {
    if (writer.usable() || closing) {
      return;
    }
    if (writer.probe() && refusing.compareAndSet(true, false)) {
      log.info("the log in {} can be written again: writes are accepted", config.dir());
    }
  }

  /** Starts a compaction now (after any running one); the future completes when it is done. */
  public CompletableFuture<Void> compact() {
    return compaction.compactNowAsync();
  }

  @Override
  public String unwritable() {
    return stats().unwritable();
  }

  public Stats stats() {
    IOException unwritable = writer.unwritable();
    String why = null;
    if (unwritable != null) {
      why = reason(unwritable) + (writer.failedForGoodYet() ? "; writes are refused until the server restarts"
          : "; writes are refused, retried with every write and every second");
    }
    return new Stats(logBytes.get(), compaction.snapshotBytes(), compaction.compactions(),
        writer.currentSegmentNumber(), compaction.lastCompactionMillis(), why);
  }

  private void written(long bytes) {
    if (refusing.get() && refusing.compareAndSet(true, false)) {
      log.info("the log in {} can be written again: writes are accepted", config.dir());
    }
    compaction.maybeCompact(logBytes.addAndGet(bytes));
  }

  private void fsync() {
    try {
      writer.forceCurrent();
    } catch (IOException e) {
      refusing.set(true);
      log.error("fsync of the log in {} failed; it accepts no more writes until the server restarts", config.dir(), e);
    } catch (RuntimeException e) {
      log.error("fsync of the log in {} failed", config.dir(), e);
    }
  }

  private static void forceFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
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
    timer.shutdown();
    compaction.shutdown();
    awaitQuietly(timer);
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
