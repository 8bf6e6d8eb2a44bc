package kv.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * A small applier for the raft module's tests: a sorted map of strings with versions. PUT k v,
 * SLOW k v (a PUT that waits at its {@link Gate}), DELETE k, INCR k (not idempotent: a second
 * application shows), GET k, MGET k..., VERSION k, DBSIZE and kvServer's VSCAN page form. Thread-safe (a concurrent map; writes on one thread).
 */
final class MapApplier implements Applier {
  record Entry(String value, long version) {}

  final ConcurrentSkipListMap<String, Entry> map = new ConcurrentSkipListMap<>();
  /** What SLOW waits for (null: SLOW is PUT). */
  private final Gate gate;

  /** Holds SLOW writes: {@link #entered} counts down when one starts, it waits for {@link #release}. */
  static final class Gate {
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
  }

  MapApplier() {
    this(null);
  }

  MapApplier(Gate gate) {
    this.gate = gate;
  }
  /** Writes applied one by one (not loaded from a snapshot). */
  final java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public Resp apply(Request r, LongSupplier versions) {
    applied.incrementAndGet();
    switch (r.command()) {
      case "PUT":
        map.put(r.arg(1), new Entry(r.arg(2), versions.getAsLong()));
        return Resp.OK;
      case "DELETE":
        return new Resp.Int(map.remove(r.arg(1)) == null ? 0 : 1);
      case "SLOW":
        if (gate != null) {
          gate.entered.countDown();
          try {
            gate.release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        map.put(r.arg(1), new Entry(r.arg(2), versions.getAsLong()));
        return Resp.OK;
      case "INCR":
        Entry old = map.get(r.arg(1));
        long n = (old == null ? 0 : Long.parseLong(old.value())) + 1;
        map.put(r.arg(1), new Entry(Long.toString(n), versions.getAsLong()));
        return new Resp.Int(n);
      default:
        return new Resp.Error("ERR unknown write '" + r.command() + "'");
    }
  }

  @Override
  public Resp read(Request r) {
    switch (r.command()) {
      case "GET": {
        Entry e = map.get(r.arg(1));
        return e == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(e.value());
      }
      case "VERSION": {
        Entry e = map.get(r.arg(1));
        return new Resp.Int(e == null ? -1 : e.version());
      }
      case "DBSIZE":
        return new Resp.Int(map.size());
      case "MGET": {
        List<Resp> values = new ArrayList<>();
        for (int i = 1; i < r.size(); i++) {
          Entry e = map.get(r.arg(i));
          values.add(e == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(e.value()));
        }
        return new Resp.Array(values);
      }
      case "VSCAN": {
        String after = r.arg(1).equals("0") ? null : new String(HexFormat.of().parseHex(r.arg(1)), StandardCharsets.UTF_8);
        String prefix = r.arg(3).replace("*", "");
        int count = Integer.parseInt(r.arg(5));
        Map<String, Entry> tail = after == null ? map.tailMap(prefix, true) : map.tailMap(after, false);
        List<Resp> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (Map.Entry<String, Entry> e : tail.entrySet()) {
          if (!e.getKey().startsWith(prefix)) {
            break;
          }
          if (items.size() == 3 * count) {
            more = true;
            break;
          }
          last = e.getKey();
          items.add(Resp.Bulk.of(last));
          items.add(new Resp.Int(e.getValue().version()));
          items.add(new Resp.Int(1));
        }
        String cursor = more ? HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8)) : "0";
        return new Resp.Array(List.of(Resp.Bulk.of(cursor), new Resp.Array(items)));
      }
      default:
        return new Resp.Error("ERR unknown read '" + r.command() + "'");
    }
  }

  @Override
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    Map<String, Entry> copy = Map.copyOf(map);
    d.writeInt(copy.size());
    for (Map.Entry<String, Entry> e : new java.util.TreeMap<>(copy).entrySet()) {
      d.writeUTF(e.getKey());
      d.writeUTF(e.getValue().value());
      d.writeLong(e.getValue().version());
    }
    d.flush();
  }

  @Override
  public void load(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    map.clear();
    int n = d.readInt();
    for (int i = 0; i < n; i++) {
      map.put(d.readUTF(), new Entry(d.readUTF(), d.readLong()));
    }
  }

  @Override
  public void clear() {
    map.clear();
  }

  @Override
  public long size() {
    return map.size();
  }
}
