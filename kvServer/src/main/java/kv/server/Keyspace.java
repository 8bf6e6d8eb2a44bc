package kv.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;
import kv.raft.Applier;
import kv.record.Limits;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.Value;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.connection.ClientState;

/**
 * One Raft group's records on one server (strong mode): a {@link Store} and
 * the same data commands as eventual mode over it, so a command added to kvServer's data
 * commands works in strong mode too. Writes take their versions from the Raft log index.
 * Thread-safe as {@link Applier} requires: writes on the apply thread, reads on any thread.
 */
public final class Keyspace implements Applier {
  /*
   * Every member must apply an entry alike, so the record limits here are fixed, not the
   * server's flags (which may differ between servers): a request the front server's limits
   * let through is never refused here. Snapshot format: FORMAT, then per live record the key
   * (length + UTF-8), its version and its canonical text (length + UTF-8), then -1.
   */
  static final Limits APPLY_LIMITS = new Limits(Limits.MAX_DEPTH, Integer.MAX_VALUE - 1024 * 1024);
  private static final int FORMAT = 1;
  private static final Session RAFT = new Session(new ClientState(0, "raft", "raft", 0));

  /** A store and the commands over it; replaced whole when a snapshot is loaded. */
  private record State(Store store, CommandTable table) {}

  private final RecordParser parser = new RecordParser(APPLY_LIMITS);
  /** The versions of the write being applied (set on the apply thread around each write). */
  private LongSupplier current;
  private volatile State state = newState();

  private State newState() {
    Store store = new Store(new Store.Versions() {
      @Override
      public long next() {
        if (current == null) {
          throw new IllegalStateException("a write outside apply");
        }
        return current.getAsLong();
      }

      @Override
      public boolean observe(long version) {
        return true; // versions come from the log; nothing to keep up with
      }

      @Override
      public long aheadOfWall(long version) {
        return Long.MIN_VALUE; // log positions, not times: never ahead of a clock
      }

      @Override
      public long maxAheadMillis() {
        return Long.MAX_VALUE;
      }
    });
    CommandTable table = new CommandTable();
    // replies are bounded by the front server; hints are the eventual mode's, never used in a group
    KvServer.registerData(table, store, parser, Long.MAX_VALUE, new HintCommands(new Hints(), new CaughtUpMark("")));
    return new State(store, table);
  }

  @Override
  public Resp apply(Request request, LongSupplier versions) {
    current = versions;
    try {
      return state.table().execute(request, RAFT);
    } finally {
      current = null;
    }
  }

  @Override
  public Resp read(Request request) {
    return state.table().execute(request, RAFT);
  }

  @Override
  public void save(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(FORMAT);
    for (Map.Entry<String, Entry> e : (Iterable<Map.Entry<String, Entry>>) () -> state.store().scan("", null)) {
      if (!e.getValue().isLive()) {
        continue;
      }
      writeBytes(data, e.getKey().getBytes(StandardCharsets.UTF_8));
      data.writeLong(e.getValue().version());
      writeBytes(data, RecordPrinter.print(e.getValue().value()).getBytes(StandardCharsets.UTF_8));
    }
    data.writeInt(-1);
    data.flush();
  }

  @Override
  public void load(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int format = data.readInt();
    if (format != FORMAT) {
      throw new IOException("keyspace snapshot format " + format + " (expected: " + FORMAT + ")");
    }
    State fresh = newState();
    for (int n = data.readInt(); n >= 0; n = data.readInt()) {
      String key = new String(readBytes(data, n), StandardCharsets.UTF_8);
      long version = data.readLong();
      String text = new String(readBytes(data, data.readInt()), StandardCharsets.UTF_8);
      Value value;
      try {
        value = parser.parseValue(text);
      } catch (RecordFormatException e) {
        throw new IOException("record " + key + " in the snapshot does not parse: " + e.getMessage(), e);
      }
      fresh.store().replayEntry(key, version, value);
    }
    state = fresh;
  }

  @Override
  public void clear() {
    state = newState();
  }

  @Override
  public long size() {
    return state.store().liveCount();
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in, int n) throws IOException {
    if (n < 0 || n > APPLY_LIMITS.maxRecordBytes()) {
      throw new IOException("keyspace snapshot: length " + n + " (expected: 0.." + APPLY_LIMITS.maxRecordBytes() + ")");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
