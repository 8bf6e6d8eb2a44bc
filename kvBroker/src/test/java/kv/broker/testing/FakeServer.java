package kv.broker.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.Value;
import kv.resp.Resp;

/**
 * An in-memory stand-in for kvServer's replication forms (VPUT, VDEL, VGET, VQUERY, VKEYS, VVERSIONS, VPURGE) plus PING,
 * INFO and DBSIZE, with last-writer-wins versions and tombstones, and injectable error replies.
 * Thread-safe.
 */
public final class FakeServer {
  public record Entry(long version, String text) {}

  private final TreeMap<String, Entry> data = new TreeMap<>();
  private final Map<String, String> errors = new HashMap<>();
  private final RecordParser parser = new RecordParser();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, Integer> perCommand = new HashMap<>();
  private String instanceId = UUID.randomUUID().toString();
  private boolean persistent;

  public synchronized Resp handle(List<byte[]> args) {
    requests.incrementAndGet();
    String command = text(args, 0).toUpperCase(Locale.ROOT);
    perCommand.merge(command, 1, Integer::sum);
    String error = errors.get(command);
    if (error != null) {
      return new Resp.Error(error);
    }
    switch (command) {
      case "PING":
        return new Resp.Simple("PONG");
      case "INFO":
        return Resp.Bulk.of("# Server\r\ninstance_id:" + instanceId + "\r\n# Persistence\r\npersistence:"
            + (persistent ? "on\r\nreplay_dropped_bytes:0" : "off") + "\r\n# Keyspace\r\nrecords:" + records()
            + "\r\ntombstones:" + (data.size() - records()) + "\r\n");
      case "DBSIZE":
        return new Resp.Int(records());
      case "VPUT":
        return write(text(args, 1), Long.parseLong(text(args, 2)), text(args, 3));
      case "VDEL":
        return write(text(args, 1), Long.parseLong(text(args, 2)), null);
      case "VPURGE": {
        Entry e = data.get(text(args, 1));
        if (e != null && e.text() == null && e.version() == Long.parseLong(text(args, 2))) {
          data.remove(text(args, 1));
          return new Resp.Int(1);
        }
        return new Resp.Int(0);
      }
      case "VGET": {
        Entry e = data.get(text(args, 1));
        return e == null ? Resp.NullBulk.INSTANCE : versioned(e.version(), e.text());
      }
      case "VQUERY":
        return query(text(args, 1));
      case "VKEYS":
        return vkeys(text(args, 1), args.size() > 3 ? Integer.parseInt(text(args, 3)) : 1000);
      case "VVERSIONS": {
        List<Resp> versions = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
          Entry e = data.get(text(args, i));
          versions.add(new Resp.Int(e == null ? -1 : e.version()));
        }
        return new Resp.Array(versions);
      }
      default:
        return new Resp.Error("ERR unknown command '" + command + "'");
    }
  }

  private Resp write(String key, long version, String text) {
    String canonical;
    try {
      canonical = canonical(text);
    } catch (RecordFormatException e) {
      return new Resp.Error("ERR " + e.getMessage());
    }
    Entry old = data.get(key);
    if (old != null && old.version() >= version) {
      return new Resp.Int(0);
    }
    data.put(key, new Entry(version, canonical));
    return new Resp.Int(1);
  }

  /** As kvServer keeps a set: parsed, and printed canonically when read (null: a tombstone). */
  private String canonical(String setText) throws RecordFormatException {
    return setText == null ? null : RecordPrinter.print(parser.parseSet(setText));
  }

  private Resp vkeys(String cursor, int count) {
    Map<String, Entry> rest = cursor.equals("0") ? data
        : data.tailMap(new String(HexFormat.of().parseHex(cursor), StandardCharsets.UTF_8), false);
    List<Resp> items = new ArrayList<>();
    String last = null;
    int n = 0;
    for (Map.Entry<String, Entry> e : rest.entrySet()) {
      if (n == count) {
        return new Resp.Array(List.of(Resp.Bulk.of(HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8))),
            new Resp.Array(items)));
      }
      last = e.getKey();
      items.add(Resp.Bulk.of(last));
      items.add(new Resp.Int(e.getValue().version()));
      n++;
    }
    return new Resp.Array(List.of(Resp.Bulk.of("0"), new Resp.Array(items)));
  }

  private Resp query(String pathText) {
    try {
      Path path = Path.parse(pathText);
      Entry e = data.get(path.key());
      if (e == null) {
        return Resp.NullBulk.INSTANCE;
      }
      if (e.text() == null) {
        return versioned(e.version(), null);
      }
      SetValue set = parser.parseSet(e.text());
      Value value = path.resolve(set);
      return versioned(e.version(), value == null ? null : RecordPrinter.print(value));
    } catch (RecordFormatException ex) {
      return new Resp.Error("ERR " + ex.getMessage());
    }
  }

  private static Resp versioned(long version, String text) {
    return new Resp.Array(List.of(new Resp.Int(version), text == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(text)));
  }

  private long records() {
    return data.values().stream().filter(e -> e.text() != null).count();
  }

  private static String text(List<byte[]> args, int i) {
    return new String(args.get(i), StandardCharsets.UTF_8);
  }

  /** Stores directly (a replica's state written by some earlier broker). */
  public synchronized void store(String key, long version, String setTextOrNullForTombstone) {
    try {
      data.put(key, new Entry(version, canonical(setTextOrNullForTombstone)));
    } catch (RecordFormatException e) {
      throw new IllegalArgumentException("set text: " + setTextOrNullForTombstone + " (expected: a set that parses)", e);
    }
  }

  /** Loses one key (as if it had never been written here). */
  public synchronized void forget(String key) {
    data.remove(key);
  }

  public synchronized Entry entry(String key) {
    return data.get(key);
  }

  public synchronized int size() {
    return data.size();
  }

  /** From now on, answers every {@code command} with {@code -error}. */
  public synchronized void failWith(String command, String error) {
    errors.put(command.toUpperCase(Locale.ROOT), error);
  }

  /** A restart: a new instance id; {@code wipe} loses the data (an in-memory server). */
  public synchronized void restart(boolean wipe) {
    instanceId = UUID.randomUUID().toString();
    if (wipe) {
      data.clear();
    }
  }

  /** From now on INFO says the data survives restarts (persistence:on, nothing dropped at replay). */
  public synchronized void persistent(boolean value) {
    persistent = value;
  }

  public synchronized String instanceId() {
    return instanceId;
  }

  /** How many requests of {@code command} (upper case) the server got. */
  public synchronized int count(String command) {
    return perCommand.getOrDefault(command, 0);
  }

  int requests() {
    return requests.get();
  }
}
