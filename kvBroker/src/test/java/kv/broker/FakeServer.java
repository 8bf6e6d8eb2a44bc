package kv.broker;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * An in-memory stand-in for kvServer's replication forms (VPUT, VDEL, VGET, VQUERY) plus PING,
 * INFO and DBSIZE, with last-writer-wins versions and tombstones, and injectable error replies.
 * Thread-safe.
 */
final class FakeServer {
  record Entry(long version, String text) {}

  private final Map<String, Entry> data = new HashMap<>();
  private final Map<String, String> errors = new HashMap<>();
  private final RecordParser parser = new RecordParser();
  private final AtomicInteger requests = new AtomicInteger();
  private String instanceId = UUID.randomUUID().toString();

  synchronized Resp handle(List<byte[]> args) {
    requests.incrementAndGet();
    String command = text(args, 0).toUpperCase(Locale.ROOT);
    String error = errors.get(command);
    if (error != null) {
      return new Resp.Error(error);
    }
    switch (command) {
      case "PING":
        return new Resp.Simple("PONG");
      case "INFO":
        return Resp.Bulk.of("# Server\r\ninstance_id:" + instanceId + "\r\nrecords:" + records() + "\r\n");
      case "DBSIZE":
        return new Resp.Int(records());
      case "VPUT":
        return write(text(args, 1), Long.parseLong(text(args, 2)), text(args, 3));
      case "VDEL":
        return write(text(args, 1), Long.parseLong(text(args, 2)), null);
      case "VGET": {
        Entry e = data.get(text(args, 1));
        return e == null ? Resp.NullBulk.INSTANCE : versioned(e.version(), e.text());
      }
      case "VQUERY":
        return query(text(args, 1));
      default:
        return new Resp.Error("ERR unknown command '" + command + "'");
    }
  }

  private Resp write(String key, long version, String text) {
    Entry old = data.get(key);
    if (old != null && old.version() >= version) {
      return new Resp.Int(0);
    }
    data.put(key, new Entry(version, text));
    return new Resp.Int(1);
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
  synchronized void store(String key, long version, String setTextOrNullForTombstone) {
    data.put(key, new Entry(version, setTextOrNullForTombstone));
  }

  synchronized Entry entry(String key) {
    return data.get(key);
  }

  synchronized int size() {
    return data.size();
  }

  /** From now on, answers every {@code command} with {@code -error}. */
  synchronized void failWith(String command, String error) {
    errors.put(command.toUpperCase(Locale.ROOT), error);
  }

  /** A restart: a new instance id; {@code wipe} loses the data (an in-memory server). */
  synchronized void restart(boolean wipe) {
    instanceId = UUID.randomUUID().toString();
    if (wipe) {
      data.clear();
    }
  }

  synchronized String instanceId() {
    return instanceId;
  }

  int requests() {
    return requests.get();
  }
}
