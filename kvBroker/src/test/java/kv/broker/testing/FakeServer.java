package kv.broker.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.Value;
import kv.resp.Protocol;
import kv.resp.ReplyDecoder;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.server.LocalServer;
import kv.server.durable.EntryLog;

/**
 * One server of a {@link FakeNetwork}: kvServer's own command handlers ({@link LocalServer}) with
 * every reply passed through the RESP2 encoder and decoder as over a socket, plus what tests
 * need around them: the state set directly ({@link #store}, {@link #forget}), restarts that keep
 * or lose the data, a full disk ({@link #logUnwritable}), error replies injected per command, and
 * counts of the requests. Thread-safe.
 */
public final class FakeServer {
  /** A key's version and text as VGET answers them (text null: a tombstone). */
  public record Entry(long version, String text) {}

  /** What the server's logs hold: every entry, in order (a restart replays them). */
  private record Logged(String key, long version, Value value) {}

  private final List<Logged> data = new ArrayList<>();
  private final List<Logged> hints = new ArrayList<>();
  private final Map<String, String> errors = new HashMap<>();
  private final RecordParser parser = new RecordParser();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, Integer> perCommand = new HashMap<>();
  private String instanceId = UUID.randomUUID().toString();
  private boolean persistent;
  private volatile boolean logUnwritable;
  private LocalServer server;

  public FakeServer() {
    rebuild();
  }

  /** A log that remembers every entry and can be made to refuse them (a full disk). */
  private final class Log implements EntryLog {
    private final List<Logged> into;

    Log(List<Logged> into) {
      this.into = into;
    }

    @Override
    public boolean append(String key, long version, Value valueOrNull, BooleanSupplier applyOnceLogged)
        throws IOException {
      if (logUnwritable) {
        throw new IOException("the log cannot be written (No space left on device in ./data)");
      }
      synchronized (FakeServer.this) {
        into.add(new Logged(key, version, valueOrNull));
      }
      return applyOnceLogged.getAsBoolean();
    }

    @Override
    public String unwritable() {
      return logUnwritable ? "No space left on device in ./data; writes are refused, retried with every write and"
          + " every second" : null;
    }
  }

  /** A new server over what the logs hold (a start replays them), under the current instance id. */
  private synchronized void rebuild() {
    List<Logged> d = new ArrayList<>(data);
    List<Logged> h = new ArrayList<>(hints);
    server = LocalServer.start(instanceId, System::currentTimeMillis, 60_000, new Log(data),
        v -> d.forEach(e -> v.accept(e.key(), e.version(), e.value())), new Log(hints),
        v -> h.forEach(e -> v.accept(e.key(), e.version(), e.value())));
  }

  public synchronized Resp handle(List<byte[]> args) {
    requests.incrementAndGet();
    String command = new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    perCommand.merge(command, 1, Integer::sum);
    String error = errors.get(command);
    if (error != null) {
      return new Resp.Error(error);
    }
    Resp reply = overTheWire(server.execute(new Request(args, null)));
    if (!persistent && command.equals("INFO") && reply instanceof Resp.Bulk info) {
      // Its data survives restarts here, but it says it does not: the broker resyncs it after one.
      return Resp.Bulk.of(info.text().replace("persistence:on", "persistence:off"));
    }
    return reply;
  }

  /** The reply as a broker decodes it from a RESP2 connection (e.g. INFO's verbatim string is a bulk). */
  static Resp overTheWire(Resp reply) {
    try {
      return new ReplyDecoder(RespLimits.DEFAULT).next(ByteBuffer.wrap(RespEncoder.encode(reply, Protocol.RESP2)));
    } catch (RespProtocolException e) {
      throw new IllegalStateException("the server's reply does not decode: " + reply, e);
    }
  }

  /** Stores directly, replacing whatever the key held (a replica's state written by some earlier broker). */
  public synchronized void store(String key, long version, String setTextOrNullForTombstone) {
    Value value;
    try {
      value = setTextOrNullForTombstone == null ? null : parser.parseSet(setTextOrNullForTombstone);
    } catch (RecordFormatException e) {
      throw new IllegalArgumentException("set text: " + setTextOrNullForTombstone + " (expected: a set that parses)", e);
    }
    data.removeIf(e -> e.key().equals(key));
    data.add(new Logged(key, version, value));
    rebuild();
  }

  /** Loses one key (as if it had never been written here). */
  public synchronized void forget(String key) {
    data.removeIf(e -> e.key().equals(key));
    rebuild();
  }

  /** The key's version and text (null: a tombstone), or null when never written (VGET). */
  public synchronized Entry entry(String key) {
    Resp reply = overTheWire(server.execute(request("VGET", key)));
    if (reply instanceof Resp.Array a && a.items().get(0) instanceof Resp.Int version) {
      return new Entry(version.value(), a.items().get(1) instanceof Resp.Bulk text ? text.text() : null);
    }
    return null;
  }

  /** How many keys (tombstones included) the server holds. */
  public synchronized int size() {
    Resp reply = overTheWire(server.execute(request("VKEYS", "0", "COUNT", "10000")));
    return ((Resp.Array) ((Resp.Array) reply).items().get(1)).items().size() / 2;
  }

  /** From now on, answers every {@code command} with {@code -error}; null: normally again. */
  public synchronized void failWith(String command, String error) {
    if (error == null) {
      errors.remove(command.toUpperCase(Locale.ROOT));
    } else {
      errors.put(command.toUpperCase(Locale.ROOT), error);
    }
  }

  /** A restart: a new instance id; {@code wipe} loses the data and the hints (an in-memory server). */
  public synchronized void restart(boolean wipe) {
    instanceId = UUID.randomUUID().toString();
    if (wipe) {
      data.clear();
      hints.clear();
    }
    rebuild();
  }

  /** From now on INFO says the data survives restarts (persistence:on, nothing dropped at replay). */
  public synchronized void persistent(boolean value) {
    persistent = value;
  }

  /** From now on the log refuses writes (a full disk): INFO says log_writable:0, writes are refused unapplied. */
  public void logUnwritable(boolean value) {
    logUnwritable = value;
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

  private static Request request(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String w : words) {
      args.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return new Request(args, null);
  }
}
