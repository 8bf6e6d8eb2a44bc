package kv.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.record.SetValue;
import kv.record.Value;
import kv.server.durable.EntryLog;
import kv.server.durable.EntryVisitor;

/**
 * The writes this server owes to other servers (durable hinted handoff): for each server named by
 * a broker, the keys it missed and the newest version of each. Logged (in its own log, next to the
 * data's) before a write that carries them is applied, so they outlive the broker that took the
 * write; any broker lists, replays and deletes them. Thread-safe (one lock; operations are short).
 */
final class Hints {
  /*
   * Why on the replicas (Dynamo's hinted handoff keeps hints on the nodes that took the write;
   * Cassandra's coordinator keeps them on its own disk): a broker may be a -c run, a script or a
   * process killed a moment later, and there may be many; the acknowledging replica is the one
   * place that exists whenever the write does. A hint holds no value: the holder has the key
   * (it applied the write, or a newer one), and a replay copies the holder's current entries.
   *
   * In the log each hint is one entry named "<server> <key>" (a server is ip:port, without
   * spaces): a record (an empty set) of version V says "owed at V"; a tombstone of version V says
   * "deleted up to V". Replay applies them in order, a snapshot writes the hints held.
   */
  private static final char SEPARATOR = ' ';
  /**
   * The log entry that says a broker once resynced this data directory in full (no server is
   * named "*", so it cannot be a hint). Lost with the directory, as it should be.
   */
  private static final String RESYNCED = "* resynced";

  /** One hint: the key and the newest version owed. */
  record Hint(String key, long version) {}

  private final TreeMap<String, TreeMap<String, Long>> byServer = new TreeMap<>();
  private volatile EntryLog log;
  private long count;
  private volatile boolean resynced;

  /** From now on every change is logged before it is made. Once only. */
  void logTo(EntryLog entryLog) {
    if (log != null) {
      throw new IllegalStateException("hints: a log is already attached");
    }
    log = entryLog;
  }

  /** The attached log, or null (in memory). */
  EntryLog log() {
    return log;
  }

  /**
   * Records that each of {@code servers} is owed {@code key} at {@code version} (a newer hint
   * held is kept); logged before it returns. Throws CommandException when the log cannot take it.
   */
  void add(List<String> servers, String key, long version) {
    for (String server : servers) {
      synchronized (this) {
        Long held = byServer.getOrDefault(server, new TreeMap<>()).get(key);
        if (held != null && held >= version) {
          continue;
        }
        logThen(server, key, version, SetValue.empty(), () -> put(server, key, version));
      }
    }
  }

  /**
   * Whether a broker has ever compared this server's data with its peers in full (a resync) since
   * the data directory was created; a server that never was needs one before it is believed, even
   * when it holds some records.
   */
  boolean resynced() {
    return resynced;
  }

  /** A broker resynced this server in full: remembered in the log (once). */
  synchronized void markResynced() {
    if (!resynced) {
      logThen(RESYNCED, "", 0, SetValue.empty(), () -> resynced = true);
    }
  }

  /** Deletes the hint of {@code key} for {@code server} if it is at most {@code version}; whether it did. */
  synchronized boolean delete(String server, String key, long version) {
    TreeMap<String, Long> keys = byServer.get(server);
    Long held = keys == null ? null : keys.get(key);
    if (held == null || held > version) {
      return false;
    }
    logThen(server, key, version, null, () -> remove(server, key, version));
    return true;
  }

  /** Up to {@code count} hints for {@code server} after the key {@code after} (null: from the start), in key order. */
  synchronized List<Hint> page(String server, String after, int count) {
    TreeMap<String, Long> keys = byServer.get(server);
    List<Hint> page = new ArrayList<>();
    if (keys == null) {
      return page;
    }
    Map<String, Long> rest = after == null ? keys : keys.tailMap(after, false);
    for (Map.Entry<String, Long> e : rest.entrySet()) {
      if (page.size() == count) {
        break;
      }
      page.add(new Hint(e.getKey(), e.getValue()));
    }
    return page;
  }

  /** Whether hints for {@code server} follow the key {@code after}. */
  synchronized boolean more(String server, String after) {
    TreeMap<String, Long> keys = byServer.get(server);
    return keys != null && keys.higherKey(after) != null;
  }

  /** How many servers this server holds a hint of {@code key} for (a tombstone of it must not be purged meanwhile). */
  synchronized int holders(String key) {
    int n = 0;
    for (TreeMap<String, Long> keys : byServer.values()) {
      if (keys.containsKey(key)) {
        n++;
      }
    }
    return n;
  }

  /** Hints held in all. */
  synchronized long size() {
    return count;
  }

  /** Hints held per server, in server order (INFO's {@code hinted_servers}). */
  synchronized Map<String, Integer> perServer() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    byServer.forEach((server, keys) -> sizes.put(server, keys.size()));
    return sizes;
  }

  /** One logged entry at start (a hint or a deletion), applied in log order. */
  synchronized void replayEntry(String name, long version, Value valueOrNull) {
    if (name.equals(RESYNCED + SEPARATOR)) {
      resynced = true;
      return;
    }
    int space = name.indexOf(SEPARATOR);
    if (space <= 0) {
      throw new IllegalStateException("hint log entry '" + Replies.quote(name)
          + "' (expected: '<server> <key>', written by this kvServer)");
    }
    String server = name.substring(0, space);
    String key = name.substring(space + 1);
    if (valueOrNull != null) {
      put(server, key, version);
    } else {
      remove(server, key, version);
    }
  }

  /** Every hint held, as log entries, for a snapshot of the hint log. */
  void snapshot(EntryVisitor visitor) {
    List<String[]> names = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    synchronized (this) {
      byServer.forEach((server, keys) -> keys.forEach((key, version) -> {
        names.add(new String[] {server, key});
        versions.add(version);
      }));
    }
    if (resynced) {
      visitor.accept(RESYNCED + SEPARATOR, 0, SetValue.empty());
    }
    for (int i = 0; i < names.size(); i++) {
      visitor.accept(names.get(i)[0] + SEPARATOR + names.get(i)[1], versions.get(i), SetValue.empty());
    }
  }

  // Guarded by this.

  private void logThen(String server, String key, long version, Value value, Runnable change) {
    EntryLog l = log;
    if (l == null) {
      change.run();
      return;
    }
    try {
      l.append(server + SEPARATOR + key, version, value, () -> {
        change.run();
        return true;
      });
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandException("write refused: the hint for " + server + " cannot be logged: " + e.getMessage()
          + "; nothing was applied", e);
    }
  }

  private void put(String server, String key, long version) {
    Long old = byServer.computeIfAbsent(server, s -> new TreeMap<>()).put(key, version);
    if (old == null) {
      count++;
    } else if (old > version) {
      byServer.get(server).put(key, old); // replay of an older hint after a newer one
    }
  }

  private void remove(String server, String key, long version) {
    TreeMap<String, Long> keys = byServer.get(server);
    Long held = keys == null ? null : keys.get(key);
    if (held != null && held <= version) {
      keys.remove(key);
      count--;
      if (keys.isEmpty()) {
        byServer.remove(server);
      }
    }
  }
}
