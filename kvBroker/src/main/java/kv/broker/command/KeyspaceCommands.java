package kv.broker.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import kv.broker.engine.Engine;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.resp.KeyPattern;
import kv.resp.ScanCursors;

/**
 * The keyspace commands over the whole cluster, for every front end: EXISTS (each key decided
 * like GET), DBSIZE, KEYS and SCAN (pages of the merged key space from {@link Engine#keyPage},
 * SCAN cursors kept in a {@link ScanCursors}). Thread-safe.
 */
final class KeyspaceCommands {
  /*
   * Bounds: EXISTS asks at most EXISTS_WINDOW keys at a time; DBSIZE and KEYS walk the key space
   * in pages of PAGE keys, so DBSIZE holds one page and KEYS its answer (as in Redis, use SCAN for
   * large key spaces). Each page, and each window of EXISTS, must be answered within the timeout;
   * a whole walk is not bounded by it, since it grows with the key space. Every page re-checks
   * which servers are up, so a server failing during a walk either leaves the rest of the key
   * space covered by other replicas, or ends the walk with an Incomplete outcome.
   */
  static final int PAGE = 5000;
  static final int EXISTS_WINDOW = 256;

  private final Engine engine;
  private final Duration timeout;
  private final ScanCursors cursors = new ScanCursors(ScanCursors.DEFAULT_CAPACITY);

  KeyspaceCommands(Engine engine, Duration timeout) {
    this.engine = engine;
    this.timeout = timeout;
  }

  /**
   * Count (EXISTS, DBSIZE), Keys (KEYS, in key order) or ScanPage (SCAN); or the outcome that
   * stopped it: a key of EXISTS that could not be checked (as GET answers it), Incomplete or Failed.
   */
  CompletableFuture<Outcome> execute(Command command) {
    if (command instanceof Command.Exists e) {
      return exists(e.keys(), 0, 0);
    } else if (command instanceof Command.Delete d) {
      return delete(d.keys(), 0, new ArrayList<>());
    } else if (command instanceof Command.DbSize) {
      return dbsize();
    } else if (command instanceof Command.Keys k) {
      return keys(k.pattern());
    } else if (command instanceof Command.Scan s) {
      return scan(s);
    }
    throw new IllegalArgumentException("command: " + command + " (expected: EXISTS, DEL, DBSIZE, KEYS or SCAN)");
  }

  /**
   * DEL of several keys, a window at a time as EXISTS: Count of the keys deleted when every key
   * was deleted or absent; else the first key's failure as it is when nothing was deleted, or
   * Failed naming the keys deleted before it (a DEL across replicas is not atomic; repeating it is
   * safe, a deleted key then counts 0).
   */
  private CompletableFuture<Outcome> delete(List<String> keys, int from, List<String> deleted) {
    int to = Math.min(keys.size(), from + EXISTS_WINDOW);
    List<CompletableFuture<Outcome>> deletes = new ArrayList<>(to - from);
    for (String key : keys.subList(from, to)) {
      deletes.add(engine.delete(key).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionally(this::noAnswer));
    }
    return CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0])).thenCompose(done -> {
      Outcome failure = null;
      for (CompletableFuture<Outcome> delete : deletes) {
        Outcome outcome = delete.join();
        if (outcome instanceof Outcome.Deleted d) {
          deleted.add(d.key());
        } else if (!(outcome instanceof Outcome.NotFound) && failure == null) {
          failure = outcome;
        }
      }
      if (failure != null) {
        return now(deleted.isEmpty() ? failure : new Outcome.Failed("DEL deleted " + deleted.size() + " of "
            + keys.size() + " keys (" + String.join(", ", deleted) + ") but not all: " + message(failure)
            + " (repeating the DEL is safe)"));
      }
      return to == keys.size() ? now(new Outcome.Count(deleted.size())) : delete(keys, to, deleted);
    });
  }

  private static String message(Outcome failure) {
    if (failure instanceof Outcome.Refused r) {
      return r.message();
    } else if (failure instanceof Outcome.Unavailable u) {
      return u.message();
    } else if (failure instanceof Outcome.Failed f) {
      return f.message();
    }
    return failure.toString();
  }

  /** Counts the keys of {@code keys} from {@code from} on, a window at a time; {@code found} so far. */
  private CompletableFuture<Outcome> exists(List<String> keys, int from, long found) {
    int to = Math.min(keys.size(), from + EXISTS_WINDOW);
    List<CompletableFuture<Outcome>> reads = new ArrayList<>(to - from);
    for (String key : keys.subList(from, to)) {
      reads.add(engine.get(key).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionally(this::noAnswer));
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenCompose(done -> {
      long count = found;
      for (CompletableFuture<Outcome> read : reads) {
        Outcome outcome = read.join();
        if (outcome instanceof Outcome.Found) {
          count++;
        } else if (!(outcome instanceof Outcome.NotFound)) {
          // All replicas of this key down (as GET answers it), or no usable answer.
          return now(outcome);
        }
      }
      return to == keys.size() ? now(new Outcome.Count(count)) : exists(keys, to, count);
    });
  }

  private CompletableFuture<Outcome> dbsize() {
    long[] count = new long[1];
    return walk("", null, keys -> count[0] += keys.size(), "DBSIZE")
        .thenApply(error -> error != null ? error : new Outcome.Count(count[0]));
  }

  private CompletableFuture<Outcome> keys(KeyPattern pattern) {
    if (pattern.exact()) {
      return exists(List.of(pattern.prefix()), 0, 0).thenApply(reply -> listIfFound(pattern.prefix(), reply));
    }
    List<String> found = new ArrayList<>();
    return walk(pattern.prefix(), null, found::addAll, "KEYS")
        .thenApply(error -> error != null ? error : new Outcome.Keys(found));
  }

  private CompletableFuture<Outcome> scan(Command.Scan scan) {
    String after;
    try {
      after = cursors.resume(scan.cursor());
    } catch (IllegalArgumentException e) {
      return now(new Outcome.Failed(e.getMessage()));
    }
    KeyPattern pattern = scan.pattern();
    if (pattern.exact()) {
      // One key: answered in one step, like EXISTS, whatever the cursor.
      String key = pattern.prefix();
      return exists(List.of(key), 0, 0).thenApply(reply -> reply instanceof Outcome.Count
          ? new Outcome.ScanPage("0", ((Outcome.Keys) listIfFound(key, reply)).keys()) : reply);
    }
    return timed(engine.keyPage(pattern.prefix(), after, scan.count())).thenApply(page -> {
      if (page instanceof KeyScan.Page p) {
        return new Outcome.ScanPage(p.resumeAfter() == null ? "0" : cursors.issue(p.resumeAfter()), p.keys());
      }
      return failure(page, "SCAN");
    });
  }

  /**
   * Walks every page under {@code prefix} after {@code after}, giving each page's live keys to
   * {@code sink}; completes with null at the end, or with the outcome that ended the walk.
   */
  private CompletableFuture<Outcome> walk(String prefix, String after, Consumer<List<String>> sink, String command) {
    return timed(engine.keyPage(prefix, after, PAGE)).thenCompose(scan -> {
      if (!(scan instanceof KeyScan.Page page)) {
        return now(failure(scan, command));
      }
      sink.accept(page.keys());
      return page.resumeAfter() == null ? now(null) : walk(prefix, page.resumeAfter(), sink, command);
    });
  }

  /** The page, or Failed when no page came within the timeout. */
  private CompletableFuture<KeyScan> timed(CompletableFuture<KeyScan> page) {
    return page.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(error -> {
      Throwable cause = error.getCause() != null ? error.getCause() : error;
      return new KeyScan.Failed(cause instanceof TimeoutException
          ? "no page of keys within " + timeout.toMillis() + " ms"
          : Outcome.Failed.of(error).message());
    });
  }

  private Outcome noAnswer(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause instanceof TimeoutException
        ? new Outcome.Failed("no answer within " + timeout.toMillis() + " ms")
        : Outcome.Failed.of(error);
  }

  /** Keys {@code [key]} when EXISTS counted it, {@code []} when not, else the outcome that stopped EXISTS. */
  private static Outcome listIfFound(String key, Outcome exists) {
    if (exists instanceof Outcome.Count n) {
      return new Outcome.Keys(n.count() > 0 ? List.of(key) : List.of());
    }
    return exists;
  }

  private static Outcome failure(KeyScan scan, String command) {
    if (scan instanceof KeyScan.Incomplete i) {
      return new Outcome.Incomplete(command, i);
    }
    if (scan instanceof KeyScan.Unanswered u) {
      return new Outcome.Unanswered(u.code(), u.message());
    }
    return new Outcome.Failed(command + " failed: " + ((KeyScan.Failed) scan).message());
  }

  private static CompletableFuture<Outcome> now(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
