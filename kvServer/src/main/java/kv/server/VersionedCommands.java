package kv.server;

import java.util.List;
import kv.record.Path;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.Value;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * The replication forms the broker uses: VPUT, VDEL, VGET, VQUERY. A write carries the writer's
 * 64-bit hybrid logical clock value and applies only when newer than the stored version (value
 * or tombstone): last writer wins, idempotent, safe to replay. Thread-safe.
 */
final class VersionedCommands {
  static final String VQUERY_USAGE = "VQUERY key.path";

  private final Store store;
  private final DataCommands data;

  VersionedCommands(Store store, DataCommands data) {
    this.store = store;
    this.data = data;
  }

  void register(CommandTable table) {
    table.add("VPUT", 3, 3, "VPUT key version set-text", this::vput)
        .add("VDEL", 2, 2, "VDEL key version", this::vdel)
        .add("VGET", 1, 1, "VGET key", this::vget)
        .add("VQUERY", 1, CommandTable.MANY, VQUERY_USAGE, this::vquery)
        .route("VPUT", CommandTable.Route.REPLICATION, null, false)
        .route("VDEL", CommandTable.Route.REPLICATION, null, false)
        .route("VGET", CommandTable.Route.REPLICATION, null, false)
        .route("VQUERY", CommandTable.Route.REPLICATION, null, false);
  }

  private Resp vput(Request request, Session session) {
    long version = version(request.arg(2));
    SetValue value = data.parseSet(request.arg(3));
    return applied(store.apply(request.arg(1), version, value));
  }

  private Resp vdel(Request request, Session session) {
    long version = version(request.arg(2));
    return applied(store.apply(request.arg(1), version, null));
  }

  private Resp vget(Request request, Session session) {
    Entry entry = store.entry(request.arg(1));
    if (entry == null) {
      return Resp.NullBulk.INSTANCE;
    }
    return versioned(entry.version(), entry.value());
  }

  private Resp vquery(Request request, Session session) {
    Path path = DataCommands.parsePath(DataCommands.pathText(request, VQUERY_USAGE));
    Entry entry = store.entry(path.key());
    if (entry == null) {
      return Resp.NullBulk.INSTANCE;
    }
    Value value = entry.value() == null ? null : path.resolve(entry.value());
    return versioned(entry.version(), value);
  }

  private static Resp versioned(long version, Value value) {
    Resp text = value == null ? Resp.NullBulk.INSTANCE : Replies.bulk(RecordPrinter.print(value));
    return new Resp.Array(List.of(new Resp.Int(version), text));
  }

  private static Resp applied(boolean applied) {
    return new Resp.Int(applied ? 1 : 0);
  }

  private static long version(String text) {
    return Replies.parseLong("version", text, 0, "a 64-bit integer >= 0");
  }
}
