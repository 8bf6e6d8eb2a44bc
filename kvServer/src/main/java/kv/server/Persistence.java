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

  private final DurableLog log;
  private final Store store;
  private final boolean newDirectory;

  private Persistence(DurableLog log, Store store, boolean newDirectory) {
    this.log = log;
    this.store = store;
    this.newDirectory = newDirectory;
  }

  /**
   * In memory when {@code config} is null; otherwise locks and replays the directory into
   * {@code store} and attaches the log to it.
   *
   * @throws UncheckedIOException whose cause's message is one line naming the directory (or the
   *     damaged file and offset, or the lock's holder) and the problem
   */
  static Persistence open(DurableConfig config, Store store) {
    if (config == null) {
      return new Persistence(null, store, false);
    }
    boolean created = !Files.exists(config.dir());
    DurableLog log;
    try {
      log = DurableLog.open(config, store::replayEntry, store::snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException(describe(config.dir(), e), e));
    }
    store.logTo(log);
    long ahead = store.newestAheadAtReplay();
    if (ahead >= 0) {
      LOG.warn("the log in {} holds versions ahead of this server's clock by more than --max-clock-skew-ms"
          + " (the newest: {}, from {}); the clock was not moved to them, so this server's own PUT and DELETE"
          + " cannot replace those keys until its clock catches up (was the system clock set back?)",
          log.shownDirectory(), ahead, Instant.ofEpochMilli(HybridLogicalClock.millisOf(ahead)));
    }
    return new Persistence(log, store, created);
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

  /** Closes the log (writes and forces what is buffered, releases the lock). Idempotent. */
  void close() {
    if (log == null) {
      return;
    }
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
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.equals("LOCK") || (name.startsWith("log.") && Files.size(f) == 0)) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    } catch (IOException e) {
      LOG.debug("left data directory {} in place: {}", dir, e.toString());
    }
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
