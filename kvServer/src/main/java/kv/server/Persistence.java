package kv.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Stream;
import kv.clock.HybridLogicalClock;
import kv.server.durable.CorruptLogException;
import kv.server.durable.DurableConfig;
import kv.server.durable.DurableLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's persistence for its start and stop: opens the {@link DurableLog} (replaying it into
 * the store and attaching it), describes it for the start line, closes it, and removes a data
 * directory that a server which never started had just created. Thread-safe (close is idempotent).
 */
final class Persistence {
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);

  /** The hints' log is small: compacted from 1 MiB (or the data's threshold, if smaller). */
  private static final long HINTS_COMPACT_MIN_BYTES = 1 << 20;

  private final DurableLog log;
  private final DurableLog hintLog;
  private final Store store;
  private final boolean newDirectory;

  private Persistence(DurableLog log, DurableLog hintLog, Store store, boolean newDirectory) {
    this.log = log;
    this.hintLog = hintLog;
    this.store = store;
    this.newDirectory = newDirectory;
  }

  /**
   * In memory when {@code config} is null; otherwise locks and replays the directory into
   * {@code store}, and its {@code hints} subdirectory (a log of its own) into {@code hints}, and
   * attaches the logs to them.
   *
   * @throws UncheckedIOException whose cause's message is one line naming the directory (or the
   *     damaged file and offset, or the lock's holder) and the problem
   */
  static Persistence open(DurableConfig config, Store store, Hints hints) {
    if (config == null) {
      return new Persistence(null, null, store, false);
    }
    boolean created = !Files.exists(config.dir());
    DurableLog log;
    DurableLog hintLog;
    try {
      log = DurableLog.open(config, store::replayEntry, store::snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException(describe(config.dir(), e), e));
    }
    DurableConfig hintConfig = new DurableConfig(config.dir().resolve("hints"), config.fsync(),
        config.fsyncInterval(), Math.min(config.compactMinBytes(), HINTS_COMPACT_MIN_BYTES));
    try {
      hintLog = DurableLog.open(hintConfig, hints::replayEntry, hints::snapshot);
    } catch (IOException e) {
      closeQuietly(log);
      throw new UncheckedIOException(new IOException(describe(hintConfig.dir(), e), e));
    }
    store.logTo(log);
    hints.logTo(hintLog);
    long ahead = store.newestAheadAtReplay();
    if (ahead >= 0) {
      LOG.warn("the log in {} holds versions ahead of this server's clock by more than --max-clock-skew-ms"
          + " (the newest: {}, from {}); the clock was not moved to them, so this server's own PUT and DELETE"
          + " cannot replace those keys until its clock catches up (was the system clock set back?)",
          log.shownDirectory(), ahead, Instant.ofEpochMilli(HybridLogicalClock.millisOf(ahead)));
    }
    return new Persistence(log, hintLog, store, created);
  }

  /** For the start line: in memory, or where, how and what was replayed in how long. */
  String describe() {
    if (log == null) {
      return "in-memory: data is lost at stop";
    }
    var replay = log.replayStats();
    return "data in " + log.shownDirectory() + ", fsync " + log.config().fsync().cliName()
        + ": replayed " + store.liveCount() + " records and " + store.tombstoneCount() + " tombstones ("
        + (replay.snapshotEntries() + replay.logEntries()) + " log entries) in " + replay.millis() + " ms";
  }

  /** Closes the logs (writes and forces what is buffered, releases the locks). Idempotent. */
  void close() {
    if (log == null) {
      return;
    }
    closeQuietly(hintLog);
    closeQuietly(log);
  }

  private static void closeQuietly(DurableLog log) {
    try {
      log.close();
    } catch (IOException e) {
      LOG.error("closing the log in {} failed: {}", log.shownDirectory(), e.getMessage(), e);
    }
  }

  /** For a server that never started: closes, and removes the directory if this start created it. */
  void abandon() {
    close();
    if (log == null || !newDirectory) {
      return;
    }
    Path dir = log.config().dir();
    try {
      deleteNew(hintLog.config().dir());
      deleteNew(dir);
    } catch (IOException e) {
      LOG.debug("left data directory {} in place: {}", dir, e.toString());
    }
  }

  /* A directory a start has just created: its lock and empty segments, then itself (if now empty). */
  private static void deleteNew(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.equals("LOCK") || (name.startsWith("log.") && Files.size(f) == 0)) {
          Files.delete(f);
        }
      }
    }
    Files.delete(dir);
  }

  /* One line naming the directory and the problem; the log's own messages already do. */
  private static String describe(Path dir, IOException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof CorruptLogException || message.startsWith("data directory ")) {
      return message;
    }
    String problem;
    if (e instanceof AccessDeniedException) {
      problem = "permission denied on " + message;
    } else if (e instanceof NoSuchFileException) {
      problem = "no such file or directory: " + message;
    } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
      problem = fs.getReason().toLowerCase(Locale.ROOT) + ": " + fs.getFile();
    } else {
      problem = e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
    return "cannot use data directory " + dir + ": " + problem;
  }
}
