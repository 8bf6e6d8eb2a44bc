package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.record.AppendEntry;
import kv.record.AppendKeys;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.Value;
import kv.resp.ReplicaCommand;
import kv.record.ValueTypes;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * The replication forms the broker uses: VPUT, VDEL, VAPPEND, VGET, VQUERY, VENTRIES. A write
 * carries the writer's 64-bit hybrid logical clock value and applies only when newer than the
 * stored version (value or tombstone): last writer wins, idempotent, safe to replay. Thread-safe.
 */
final class VersionedCommands {
  /*
   * VPUT key version value      any value (a record's set, a list, a string, ...) at the key;
   *                             for an append's internal name, the append's stored form
   *                             ({ "path" : [...] ; "value" : ... }, as VGET or VENTRIES give it)
   *   [PACKED]                  the value is a set's packed form (SetLayout), as a broker sends
   *                             the records it parsed: checked by PackedSetReader, not parsed
   *   [WITHVERSION] [HINT server ...]  (VDEL takes them too) WITHVERSION: a stale write answers
   *                             *2 [:0, :stored-version], so the broker can say a newer write won
   *                             and move its clock; HINT: the servers that missed this write are
   *                             owed it (Hints), logged before the write is applied
   *                             An equal version wins or loses on kv.clock.VersionOrder's tie-break.
   * VAPPEND key version path value
   *                             the append of version to key at path (relative: "." for the key's
   *                             value, ".a.b" below it), stored as key\0<version>; :0 when stale
   *                             (a PUT or DELETE of the key as new or newer, or already stored)
   * VGET key                    [:version, $value]: the value with its appends merged and the
   *                             newest version of base and appends; for an internal name, that
   *                             append's version and stored form
   * VENTRIES key                *3m [$name, :version, $text or $-1]: what is stored for the key,
   *                             unmerged: its base (a tombstone's text $-1) unless it only has
   *                             appends, then each append under its internal name, by version.
   *                             Copying every triple with VPUT/VDEL brings a replica up to date
   *                             (read repair, resync); copying a VGET's merged value would not.
   */
  static final String VQUERY_USAGE = ReplicaCommand.VQUERY.usage();

  private final Store store;
  private final DataCommands data;
  private final HintCommands hints;

  VersionedCommands(Store store, DataCommands data, HintCommands hints) {
    this.store = store;
    this.data = data;
    this.hints = hints;
  }

  void register(CommandTable table) {
    table.add(ReplicaCommand.VPUT.name(), 3, CommandTable.MANY, ReplicaCommand.VPUT.usage(), this::vput)
        .add(ReplicaCommand.VDEL.name(), 2, CommandTable.MANY, ReplicaCommand.VDEL.usage(), this::vdel)
        .add(ReplicaCommand.VAPPEND.name(), 4, 4, ReplicaCommand.VAPPEND.usage(), this::vappend)
        .add(ReplicaCommand.VGET.name(), 1, 1, ReplicaCommand.VGET.usage(), this::vget)
        .add(ReplicaCommand.VQUERY.name(), 1, CommandTable.MANY, VQUERY_USAGE, this::vquery)
        .add(ReplicaCommand.VENTRIES.name(), 1, 1, ReplicaCommand.VENTRIES.usage(), this::ventries)
        .route(ReplicaCommand.VPUT.name(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VDEL.name(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VAPPEND.name(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VGET.name(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VQUERY.name(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VENTRIES.name(), CommandTable.Route.REPLICATION, null, false);
  }

  private Resp vput(Request request, Session session) {
    long version = version(request.arg(2));
    String key = request.arg(1);
    Options options = Options.parse(request, 4);
    Value value = options.packed() ? data.packedSet(request.args().get(3)) : data.parseValue(request.arg(3));
    options.hint(hints, key, version);
    if (AppendKeys.isInternal(key)) {
      return applied(store.applyAppend(AppendKeys.userKey(key), version, copiedAppend(key, version, value)));
    }
    return options.reply(store.apply(key, version, value), store, key);
  }

  private Resp vdel(Request request, Session session) {
    long version = version(request.arg(2));
    String key = request.arg(1);
    if (AppendKeys.isInternal(key)) {
      throw new CommandException("VDEL of an append's name: an append is never deleted (expected: VPUT of its entry;"
          + " a PUT or DELETE of '" + Replies.quote(AppendKeys.userKey(key)) + "' supersedes it); nothing was applied");
    }
    Options options = Options.parse(request, 3);
    options.hint(hints, key, version);
    return options.reply(store.apply(key, version, null), store, key);
  }

  /**
   * The options after VPUT's value or VDEL's version: {@code WITHVERSION} (a stale write is
   * answered {@code *2 [:0, :stored-version]} instead of {@code :0}) and {@code HINT server ...}
   * (the servers that missed this write, recorded durably before it is applied, stale or not).
   */
  private record Options(boolean packed, boolean withVersion, List<String> hintFor) {
    static final Options NONE = new Options(false, false, List.of());

    static Options parse(Request request, int first) {
      if (request.size() <= first) {
        return NONE;
      }
      boolean packed = false;
      boolean withVersion = false;
      List<String> hintFor = List.of();
      for (int i = first; i < request.size(); i++) {
        String option = request.arg(i);
        if (option.equalsIgnoreCase("WITHVERSION")) {
          withVersion = true;
        } else if (first == 4 && option.equalsIgnoreCase("PACKED")) {
          packed = true;
        } else if (option.equalsIgnoreCase("HINT")) {
          hintFor = HintCommands.servers(request, i + 1, "HINT");
          break;
        } else {
          throw new CommandException(request.command() + " option: '" + Replies.quote(option)
              + "' (expected: " + (first == 4 ? "PACKED, WITHVERSION or HINT server [server ...] after the value"
              : "WITHVERSION or HINT server [server ...] after the version")
              + "); nothing was applied");
        }
      }
      return new Options(packed, withVersion, hintFor);
    }

    void hint(HintCommands hints, String key, long version) {
      if (!hintFor.isEmpty()) {
        hints.add(hintFor, key, version);
      }
    }

    Resp reply(boolean applied, Store store, String key) {
      if (applied || !withVersion) {
        return VersionedCommands.applied(applied);
      }
      Entry stored = store.entry(key);
      return new Resp.Array(List.of(new Resp.Int(0), new Resp.Int(stored == null ? -1 : stored.version())));
    }
  }

  /* VPUT of an append's name (a copy): the stored form, and the version the name carries. */
  private static AppendEntry copiedAppend(String name, long version, Value value) {
    try {
      long named = AppendKeys.version(name);
      if (named != version) {
        throw new IllegalArgumentException("version: " + version + " differs from the " + named
            + " in the append's name (expected: the same version)");
      }
      if (!(value instanceof SetValue set)) {
        throw new IllegalArgumentException("value: " + ValueTypes.describe(value)
            + " (expected: an append entry { \"path\" : [ ... ] ; \"value\" : ... })");
      }
      return AppendEntry.fromSet(set);
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage() + "; nothing was applied", e);
    }
  }

  private Resp vappend(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    long version = version(request.arg(2));
    List<String> path;
    try {
      path = Path.parseRelative(request.arg(3));
    } catch (RecordFormatException e) {
      throw new CommandException("invalid path: " + e.getMessage(), e);
    }
    Value element = data.parseValue(request.arg(4));
    ValueCommands.checkDepth("VAPPEND " + new Path(key, path), path.size(), element,
        data.parser().limits().maxDepth());
    return applied(store.applyAppend(key, version, new AppendEntry(path, element)));
  }

  private Resp vget(Request request, Session session) {
    String key = request.arg(1);
    if (AppendKeys.isInternal(key)) {
      Entry entry = store.entry(key);
      return entry == null ? Resp.NullBulk.INSTANCE : versioned(entry.version(), entry.value());
    }
    Entries.Read read = store.read(key);
    return read == null ? Resp.NullBulk.INSTANCE : versioned(read.version(), read.value());
  }

  private Resp vquery(Request request, Session session) {
    Path path = DataCommands.parsePath(DataCommands.pathText(request, VQUERY_USAGE));
    Entries.Read read = store.read(path.key());
    if (read == null) {
      return Resp.NullBulk.INSTANCE;
    }
    return versioned(read.version(), read.value() == null ? null : path.resolve(read.value()));
  }

  private Resp ventries(Request request, Session session) {
    String key = request.arg(1);
    List<Map.Entry<String, Entry>> stored;
    if (AppendKeys.isInternal(key)) {
      Entry entry = store.entry(key);
      stored = entry == null ? List.of() : List.of(Map.entry(key, entry));
    } else {
      stored = store.stored(key);
    }
    List<Resp> items = new ArrayList<>(3 * stored.size());
    for (Map.Entry<String, Entry> e : stored) {
      items.add(Replies.bulk(e.getKey()));
      items.add(new Resp.Int(e.getValue().version()));
      Value value = e.getValue().value();
      items.add(value == null ? Resp.NullBulk.INSTANCE : Replies.bulk(RecordPrinter.print(value)));
    }
    return new Resp.Array(items);
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
