package kv.broker.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a server's {@code INFO} reply the broker uses: the instance id (new at every
 * start, so a changed id means the server restarted), the number of live records and tombstones
 * (-1 when the reply has none), whether it persists its data, how many bytes of a damaged log
 * tail its last start dropped, whether a broker has marked it caught up since it started and
 * whether one ever resynced its data directory in full, whether its log takes writes (and why
 * not), and how many hints it holds for each other server.
 * Immutable.
 */
public record InfoReply(String instanceId, long records, long tombstones, boolean persistent, long replayDroppedBytes,
    boolean caughtUp, boolean resynced, boolean logWritable, String logError, Map<String, Long> hintedServers) {

  public InfoReply {
    hintedServers = Collections.unmodifiableMap(new LinkedHashMap<>(hintedServers)); // in INFO's order
  }

  InfoReply(String instanceId, long records, long tombstones, boolean persistent, long replayDroppedBytes) {
    this(instanceId, records, tombstones, persistent, replayDroppedBytes, true, true, true, null, Map.of());
  }

  InfoReply(String instanceId, long records) {
    this(instanceId, records, -1, false, 0);
  }

  /**
   * Whether the server came back with its data: persistent, not empty, its log replayed whole.
   * It then lacks only the writes made while it was down (the hints its peers hold for it), plus,
   * after a power cut rather than a crash, those of the last fsync interval (the background resync).
   * A data directory no broker ever resynced in full (a server new to the cluster, or wiped, that
   * took some writes before any broker compared it) has not: its records are not all there are.
   */
  public boolean keptItsData() {
    return persistent && Math.max(records, 0) + Math.max(tombstones, 0) > 0 && replayDroppedBytes == 0 && resynced;
  }

  /**
   * Parses Redis-style {@code field:value} lines; {@code #} section headers and unknown fields are
   * skipped. A server that says nothing of {@code caught_up} or {@code log_writable} (an older
   * kvServer) counts as caught up and writable.
   */
  static InfoReply parse(String text) {
    String instanceId = null;
    long records = -1;
    long tombstones = -1;
    boolean persistent = false;
    long dropped = 0;
    boolean caughtUp = true;
    boolean resynced = true;
    boolean writable = true;
    String logError = null;
    Map<String, Long> hinted = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.startsWith("#") || colon < 0) {
        continue;
      }
      String field = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (field) {
        case "instance_id" -> instanceId = value;
        case "records" -> records = number(value, -1);
        case "tombstones" -> tombstones = number(value, -1);
        case "persistence" -> persistent = value.equals("on");
        case "replay_dropped_bytes" -> dropped = number(value, 1); // unreadable: assume something was dropped
        case "caught_up" -> caughtUp = !value.equals("0");
        case "resynced" -> resynced = !value.equals("0");
        case "log_writable" -> writable = !value.equals("0");
        case "log_error" -> logError = value;
        case "hinted_servers" -> hintedServers(value, hinted);
        default -> { }
      }
    }
    return new InfoReply(instanceId, records, tombstones, persistent, dropped, caughtUp, resynced, writable, logError,
        hinted);
  }

  /* "10.0.0.2:9002=3,10.0.0.3:9003=1": a server's ip:port may hold colons, never '=' or ','. */
  private static void hintedServers(String value, Map<String, Long> into) {
    for (String item : value.split(",")) {
      int eq = item.lastIndexOf('=');
      if (eq > 0) {
        long n = number(item.substring(eq + 1), 1); // unreadable: assume some
        if (n > 0) {
          into.put(item.substring(0, eq), n);
        }
      }
    }
  }

  private static long number(String value, long otherwise) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
