package kv.broker.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import kv.broker.cli.OutcomeFormatter;
import kv.broker.cli.Shell;
import kv.broker.engine.Engine;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.broker.keyspace.KeyspaceWalk;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.ScanCursors;


/**
 * The router's keyspace commands over the whole cluster: EXISTS (each key decided like GET),
 * DBSIZE, KEYS and SCAN (pages of the merged key space from {@link Engine#keyPage}, SCAN
 * cursors kept in a {@link ScanCursors}). Returns replies as futures and never writes.
 * Thread-safe.
 */
public final class KeyspaceCommands {
  /*
   * Bounds: EXISTS asks at most EXISTS_WINDOW keys at a time; DBSIZE and KEYS walk the key space
   * in pages of PAGE keys, so DBSIZE holds one page and KEYS its answer (as in Redis, use SCAN for
   * large key spaces). Each page, and each window of EXISTS, must be answered within the timeout;
   * a whole walk is not bounded by it, since it grows with the key space. Every page re-checks
   * which servers are up, so a server failing during a walk either leaves the rest of the key
   * space covered by other replicas, or ends the walk with the CLUSTERDOWN error.
   */
  static final int PAGE = 5000;
  static final int EXISTS_WINDOW = 256;
  static final String SCAN_USAGE = "SCAN cursor [MATCH prefix*] [COUNT n]";

  private final Engine service;
  private final Duration timeout;
  private final ScanCursors cursors = new ScanCursors(ScanCursors.DEFAULT_CAPACITY);

  public KeyspaceCommands(Engine service, Duration timeout) {
    this.service = service;
    this.timeout = timeout;
  }

  /** A KEYS or SCAN MATCH pattern; an unsupported one is the user's error. */
  static KeyPattern pattern(String pattern) throws BadCommandException {
    try {
      return KeyPattern.parse(pattern);
    } catch (IllegalArgumentException e) {
      throw new BadCommandException(e.getMessage(), e);
    }
  }

  /** The reply to EXISTS, DBSIZE, KEYS or SCAN. */
  public CompletableFuture<Resp> handle(Request request) {
    int argc = request.size() - 1;
    try {
      switch (request.command()) {
        case "EXISTS":
          if (argc < 1) {
            return now(arity("EXISTS", "EXISTS key [key ...]"));
          }
          List<String> keys = new ArrayList<>(argc);
          for (int i = 1; i <= argc; i++) {
            keys.add(request.arg(i));
          }
          return execute(new Command.Exists(keys));
        case "DBSIZE":
          return argc == 0 ? execute(new Command.DbSize()) : now(arity("DBSIZE", "DBSIZE"));
        case "KEYS":
          return argc == 1
              ? execute(new Command.Keys(pattern(request.arg(1))))
              : now(arity("KEYS", "KEYS prefix*"));
        case "SCAN":
          return scan(request, argc);
        default:
          throw new IllegalArgumentException("command: " + request.command() + " (expected: EXISTS, DBSIZE, KEYS or SCAN)");
      }
    } catch (BadCommandException e) {
      return now(OutcomeFormatter.resp(e));
    }
  }

  /**
   * The reply to a parsed EXISTS ({@code :n}), DBSIZE ({@code :n}) or KEYS (an array of keys in
   * key order), or the error that replaced it; also used by the prompt, scripts and {@code -c}.
   */
  public CompletableFuture<Resp> execute(Command command) {
    if (command instanceof Command.Exists e) {
      return exists(e.keys(), 0, 0);
    } else if (command instanceof Command.DbSize) {
      return dbsize();
    } else if (command instanceof Command.Keys k) {
      return keys(k.pattern());
    }
    throw new IllegalArgumentException("command: " + command + " (expected: EXISTS, DBSIZE or KEYS)");
  }

  /** Counts the keys of {@code keys} from {@code from} on, a window at a time; {@code found} so far. */
  private CompletableFuture<Resp> exists(List<String> keys, int from, long found) {
    int to = Math.min(keys.size(), from + EXISTS_WINDOW);
    List<CompletableFuture<Outcome>> reads = new ArrayList<>(to - from);
    for (String key : keys.subList(from, to)) {
      reads.add(service.get(key).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionally(this::noAnswer));
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenCompose(done -> {
      long count = found;
      for (int i = 0; i < reads.size(); i++) {
        Outcome outcome = reads.get(i).join();
        if (outcome instanceof Outcome.Found) {
          count++;
        } else if (!(outcome instanceof Outcome.NotFound)) {
          // All replicas of this key down (CLUSTERDOWN, as GET), or no usable answer (ERR).
          return now(OutcomeFormatter.resp(new Command.Get(keys.get(from + i)), outcome));
        }
      }
      return to == keys.size() ? now(new Resp.Int(count)) : exists(keys, to, count);
    });
  }

  private CompletableFuture<Resp> dbsize() {
    long[] count = new long[1];
    return walk("", null, keys -> count[0] += keys.size(), "DBSIZE")
        .thenApply(error -> error != null ? error : new Resp.Int(count[0]));
  }

  private CompletableFuture<Resp> keys(KeyPattern pattern) {
    if (pattern.exact()) {
      return exists(List.of(pattern.prefix()), 0, 0).thenApply(reply -> listIfFound(pattern.prefix(), reply));
    }
    List<Resp> found = new ArrayList<>();
    return walk(pattern.prefix(), null, keys -> keys.forEach(key -> found.add(Resp.Bulk.of(key))), "KEYS")
        .thenApply(error -> error != null ? error : new Resp.Array(found));
  }

  private CompletableFuture<Resp> scan(Request request, int argc) throws BadCommandException {
    if (argc < 1 || argc % 2 == 0) {
      return now(arity("SCAN", SCAN_USAGE));
    }
    String after;
    try {
      after = cursors.resume(request.arg(1));
    } catch (IllegalArgumentException e) {
      throw new BadCommandException(e.getMessage(), e);
    }
    KeyPattern pattern = KeyPattern.all();
    int count = 10;
    for (int i = 2; i < request.size(); i += 2) {
      String option = request.arg(i).toUpperCase(Locale.ROOT);
      if (option.equals("MATCH")) {
        pattern = pattern(request.arg(i + 1));
      } else if (option.equals("COUNT")) {
        count = count(request.arg(i + 1));
      } else {
        throw new BadCommandException("SCAN option: '" + request.arg(i) + "' is not supported (expected: " + SCAN_USAGE + ")");
      }
    }
    if (pattern.exact()) {
      // One key: answered in one step, like EXISTS, whatever the cursor.
      String key = pattern.prefix();
      return exists(List.of(key), 0, 0).thenApply(reply -> reply instanceof Resp.Error
          ? reply : new Resp.Array(List.of(Resp.Bulk.of("0"), listIfFound(key, reply))));
    }
    return timed(service.keyPage(pattern.prefix(), after, count)).thenApply(scan -> {
      if (scan instanceof KeyScan.Page page) {
        List<Resp> keys = new ArrayList<>(page.keys().size());
        page.keys().forEach(key -> keys.add(Resp.Bulk.of(key)));
        String next = page.resumeAfter() == null ? "0" : cursors.issue(page.resumeAfter());
        return new Resp.Array(List.of(Resp.Bulk.of(next), new Resp.Array(keys)));
      }
      return error(scan, "SCAN");
    });
  }

  /** COUNT is a hint, as in Redis: above MAX_PAGE a page examines MAX_PAGE keys. */
  private static int count(String text) throws BadCommandException {
    try {
      long count = Long.parseLong(text);
      if (count >= 1) {
        return (int) Math.min(count, KeyspaceWalk.MAX_PAGE);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    throw new BadCommandException("COUNT: '" + shown + "' (expected: an integer >= 1)");
  }

  /**
   * Walks every page under {@code prefix} after {@code after}, giving each page's live keys to
   * {@code sink}; completes with null at the end, or with the error reply that ended the walk.
   */
  private CompletableFuture<Resp> walk(String prefix, String after, Consumer<List<String>> sink, String command) {
    return timed(service.keyPage(prefix, after, PAGE)).thenCompose(scan -> {
      if (!(scan instanceof KeyScan.Page page)) {
        return now(error(scan, command));
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
          : ((Outcome.Failed) Shell.failure(error)).message());
    });
  }

  private Outcome noAnswer(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause instanceof TimeoutException
        ? new Outcome.Failed("no answer within " + timeout.toMillis() + " ms")
        : Shell.failure(error);
  }

  /** {@code [key]} when EXISTS answered 1, {@code []} for 0, else the error reply. */
  private static Resp listIfFound(String key, Resp exists) {
    if (exists instanceof Resp.Int n) {
      return new Resp.Array(n.value() > 0 ? List.of(Resp.Bulk.of(key)) : List.of());
    }
    return exists;
  }

  static Resp error(KeyScan scan, String command) {
    if (scan instanceof KeyScan.Incomplete i) {
      List<String> servers = new ArrayList<>(i.down());
      String which = "down";
      if (!i.catchingUp().isEmpty()) {
        which = "down or catching up";
        servers.clear();
        i.down().forEach(s -> servers.add(s + " down"));
        i.catchingUp().forEach(s -> servers.add(s + " catching up"));
      }
      return new Resp.Error("CLUSTERDOWN " + i.k() + " or more servers are " + which + " (" + String.join(", ", servers)
          + "): cannot guarantee a complete answer for " + command + ": keys whose " + i.k()
          + " replicas are all among them could be missing");
    }
    return new Resp.Error("ERR " + command + " failed: " + ((KeyScan.Failed) scan).message());
  }

  private static Resp arity(String command, String usage) {
    return new Resp.Error("ERR wrong number of arguments for '" + command + "' (expected: " + usage + ")");
  }

  private static CompletableFuture<Resp> now(Resp resp) {
    return CompletableFuture.completedFuture(resp);
  }
}
