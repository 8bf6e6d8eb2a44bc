package kv.broker.eventual;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import kv.clock.VersionOrder;
import kv.cluster.ServerAddress;
import kv.record.RecordPrinter;
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
 * One simulated kvServer process: kvServer's own handlers ({@link LocalServer}) over a data log
 * and a hint log that remember which of their entries are synced (every simulated second, as
 * {@code --fsync everysec}); a SIGKILL loses nothing, a power cut loses part of the unsynced tail;
 * a restart replays what survived under a new instance id; a compaction keeps the state and drops
 * purged tombstones for good; the log can refuse writes (a full disk). Replies go through the
 * RESP2 encoder and decoder, as over a socket. Not thread-safe (the simulation's one thread).
 */
final class SimServer {
  /** One logged entry (value null: a tombstone, or for hints a deletion). */
  record Logged(String key, long version, Value value) {}

  /** A log whose entries up to {@code synced} are on the disk. */
  private final class Log implements EntryLog {
    final List<Logged> entries = new ArrayList<>();
    int synced;
    /**
     * How many logged copies of each write (key, version and text: two brokers with the same node id
     * can write different values at one version) no power cut took (a compaction does not count).
     */
    final Map<String, Integer> kept = new HashMap<>();

    @Override
    public boolean append(String key, long version, Value valueOrNull, BooleanSupplier applyOnceLogged)
        throws IOException {
      if (full) {
        throw new IOException("the log cannot be written (No space left on device in ./sim)");
      }
      entries.add(new Logged(key, version, valueOrNull));
      kept.merge(write(key, version, text(valueOrNull)), 1, Integer::sum);
      return applyOnceLogged.getAsBoolean();
    }

    @Override
    public String unwritable() {
      return full ? "No space left on device in ./sim; writes are refused, retried with every write and every second"
          : null;
    }

    /** A power cut: a random part of the unsynced tail never reached the disk; returns how many entries were lost. */
    int cut(Random random) {
      int unsynced = entries.size() - synced;
      int kept = unsynced == 0 ? 0 : random.nextInt(unsynced + 1);
      int lost = unsynced - kept;
      List<Logged> gone = entries.subList(synced + kept, entries.size());
      for (Logged e : gone) {
        this.kept.merge(write(e.key(), e.version(), text(e.value())), -1, Integer::sum);
      }
      gone.clear();
      synced = entries.size();
      return lost;
    }
  }

  final ServerAddress address;
  private final LongSupplier wallMillis;
  private final Log data = new Log();
  private final Log hints = new Log();
  /** Tombstones this instance purged (VPURGE answered :1), dropped from the log by the next compaction. */
  private final Set<Logged> purged = new HashSet<>();
  private LocalServer server;
  private boolean up;
  private boolean full;
  private int starts;
  private int purges;

  /** Told of each tombstone this server purges (key, version). */
  private final BiConsumer<String, Long> onPurge;

  SimServer(ServerAddress address, LongSupplier wallMillis, BiConsumer<String, Long> onPurge) {
    this.address = address;
    this.wallMillis = wallMillis;
    this.onPurge = onPurge;
  }

  boolean up() {
    return up;
  }

  String instanceId() {
    return up ? server.instanceId() : null;
  }

  /** Starts (again): replays what the logs hold under a new instance id. */
  void start() {
    starts++;
    purged.clear();
    List<Logged> d = List.copyOf(data.entries);
    List<Logged> h = List.copyOf(hints.entries);
    server = LocalServer.start(address + "#" + starts, wallMillis, 60_000, data,
        v -> d.forEach(e -> v.accept(e.key(), e.version(), e.value())), hints,
        v -> h.forEach(e -> v.accept(e.key(), e.version(), e.value())));
    up = true;
  }

  /** A SIGKILL ({@code power} false: the page cache survives) or a power cut (part of the unsynced tail is lost); returns entries lost. */
  int crash(boolean power, Random random) {
    up = false;
    server = null;
    if (!power) {
      data.synced = data.entries.size();
      hints.synced = hints.entries.size();
      return 0;
    }
    return data.cut(random) + hints.cut(random);
  }

  /** The fsync of {@code --fsync everysec}. */
  void sync() {
    data.synced = data.entries.size();
    hints.synced = hints.entries.size();
  }

  void full(boolean value) {
    full = value;
  }

  boolean full() {
    return full;
  }

  /** A compaction: the data log becomes the state it replays to, without the tombstones this instance purged. */
  void compact() {
    Map<String, Logged> state = new LinkedHashMap<>();
    for (Logged e : data.entries) {
      Logged held = state.get(e.key());
      if (held == null || VersionOrder.compare(e.version(), text(e.value()), held.version(), text(held.value())) > 0) {
        state.put(e.key(), e);
      }
    }
    state.values().removeIf(purged::contains);
    data.entries.clear();
    data.entries.addAll(state.values());
    data.synced = data.entries.size();
  }

  /**
   * Whether this server logged this write of {@code key} ({@code text} at {@code version}, null for
   * a tombstone) and no power cut took that entry (a compaction may have dropped it since for a
   * newer one: it outlived every crash here).
   */
  boolean logged(String key, long version, String text) {
    return data.kept.getOrDefault(write(key, version, text), 0) > 0;
  }

  private static String write(String key, long version, String text) {
    return key + "@" + version + "@" + text;
  }

  /** Tombstones purged on this server so far. */
  int purges() {
    return purges;
  }

  /** The reply to one request, as a broker decodes it from a RESP2 connection. */
  Resp handle(List<byte[]> args) {
    Resp reply = server.execute(new Request(args, null));
    String command = new String(args.get(0), StandardCharsets.US_ASCII);
    if (command.equals("VPURGE") && reply instanceof Resp.Int n && n.value() == 1) {
      purges++;
      Logged tombstone = new Logged(new String(args.get(1), StandardCharsets.UTF_8),
          Long.parseLong(new String(args.get(2), StandardCharsets.US_ASCII)), null);
      purged.add(tombstone);
      onPurge.accept(tombstone.key(), tombstone.version());
    }
    try {
      return new ReplyDecoder(RespLimits.DEFAULT).next(ByteBuffer.wrap(RespEncoder.encode(reply, Protocol.RESP2)));
    } catch (RespProtocolException e) {
      throw new IllegalStateException("the server's reply does not decode: " + reply, e);
    }
  }

  /** VGET key on this server, straight (for the final check): version and text, or null. */
  Map.Entry<Long, String> vget(String key) {
    Resp reply = handle(List.of("VGET".getBytes(StandardCharsets.US_ASCII), key.getBytes(StandardCharsets.UTF_8)));
    if (reply instanceof Resp.Array a && a.items().get(0) instanceof Resp.Int v) {
      return new java.util.AbstractMap.SimpleImmutableEntry<>(v.value(),
          a.items().get(1) instanceof Resp.Bulk b ? b.text() : null);
    }
    return null;
  }

  /** INFO's field {@code name}, or null. */
  String info(String name) {
    Resp reply = handle(List.of("INFO".getBytes(StandardCharsets.US_ASCII)));
    for (String line : ((Resp.Bulk) reply).text().split("\r\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static String text(Value value) {
    return value == null ? null : RecordPrinter.print(value);
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
