package kv.broker.catchup;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import kv.cluster.ServerAddress;

/**
 * Hinted handoff: the writes a replica missed while it was down (or did not acknowledge), kept
 * by the broker per server as key to newest version (record text, or null for a tombstone), so
 * they can be replayed when it is UP again. Bounded per server by a number of hints and of
 * characters; past either bound the server's hints are dropped and it is marked as needing a
 * full resync instead. Thread-safe (one lock; every operation is short).
 */
public final class HintStore {
  /** One missed write; {@code text} null for a delete. */
  record Hint(String key, long version, String text) {}

  /** What {@link #drain} hands over: the hints, and whether some were dropped (resync needed). */
  record Drained(Map<String, Hint> hints, boolean overflowed) {}

  private static final class PerServer {
    Map<String, Hint> hints = new LinkedHashMap<>();
    long chars;
    boolean overflowed;
  }

  private final int maxHints;
  private final long maxChars;
  private final Map<ServerAddress, PerServer> servers = new HashMap<>();

  public HintStore(int maxHints, long maxChars) {
    if (maxHints < 1 || maxChars < 1) {
      throw new IllegalArgumentException("hint bounds: " + maxHints + " hints, " + maxChars + " chars (expected: >= 1)");
    }
    this.maxHints = maxHints;
    this.maxChars = maxChars;
  }

  /** Remembers a write the server missed; an older version than the one held is ignored. */
  public synchronized void add(ServerAddress server, String key, long version, String text) {
    PerServer s = servers.computeIfAbsent(server, a -> new PerServer());
    if (s.overflowed) {
      return; // a full resync will cover it
    }
    Hint old = s.hints.get(key);
    if (old != null && old.version() >= version) {
      return;
    }
    s.hints.put(key, new Hint(key, version, text));
    s.chars += cost(key, text) - (old == null ? 0 : cost(key, old.text()));
    if (s.hints.size() > maxHints || s.chars > maxChars) {
      s.hints = new LinkedHashMap<>();
      s.chars = 0;
      s.overflowed = true;
    }
  }

  /** Gives back hints that could not be replayed (newer ones added meanwhile win). */
  synchronized void restore(ServerAddress server, Iterable<Hint> hints) {
    for (Hint h : hints) {
      add(server, h.key(), h.version(), h.text());
    }
  }

  /** Takes the server's hints and overflow flag, leaving it with none. */
  synchronized Drained drain(ServerAddress server) {
    PerServer s = servers.remove(server);
    if (s == null) {
      return new Drained(Map.of(), false);
    }
    return new Drained(s.hints, s.overflowed);
  }

  /** Whether the server has hints or overflowed: it must catch up before it is trusted. */
  synchronized boolean pending(ServerAddress server) {
    PerServer s = servers.get(server);
    return s != null && (s.overflowed || !s.hints.isEmpty());
  }

  /** Whether a hint for {@code key} is held for any server. */
  synchronized boolean holds(String key) {
    for (PerServer s : servers.values()) {
      if (s.hints.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  /** Hints held for the server, or -1 when they overflowed (a resync replaces them). */
  public synchronized long held(ServerAddress server) {
    PerServer s = servers.get(server);
    return s == null ? 0 : s.overflowed ? -1 : s.hints.size();
  }

  synchronized int size(ServerAddress server) {
    PerServer s = servers.get(server);
    return s == null ? 0 : s.hints.size();
  }

  private static long cost(String key, String text) {
    return key.length() + (text == null ? 0 : text.length()) + 32;
  }
}
