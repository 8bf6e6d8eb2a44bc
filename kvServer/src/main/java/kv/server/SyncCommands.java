package kv.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kv.resp.KeyPattern;
import kv.resp.ReplicaCommand;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.ScanArgs;

/**
 * The anti-entropy forms the broker uses to bring a restarted or wiped replica up to date:
 * {@code VKEYS} lists keys with their versions (tombstones included, no values) in trie order,
 * {@code VVERSIONS} returns the versions of given keys. Values are then copied with VGET and
 * VPUT/VDEL, which are version-checked. {@code VPURGE} drops a tombstone every replica has.
 * {@code VSCAN} pages through keys under a prefix with versions and liveness, for the broker's
 * cluster-wide KEYS, SCAN and DBSIZE. Thread-safe: walks run over snapshots of the trie.
 */
final class SyncCommands {
  /*
   * VKEYS cursor [COUNT n] -> *2 [$next-cursor, *2m [$key, :version, ...]]
   *   cursor "0" starts and the returned "0" ends the walk; any other cursor is the hex of the
   *   UTF-8 bytes of the last key returned (as in SCAN). Tombstones are listed like records, so a
   *   delete is copied like a write; a key's appends are listed after it under their names.
   * VVERSIONS key [key ...] -> *n [:version, or :-1 for a key never seen]
   * VPURGE key version -> :1 the tombstone with exactly that version was removed (the key is then
   *   never seen: VGET answers $-1), :0 otherwise (absent, a live record, another version, or a
   *   hint of the key held here: a replay will copy the tombstone, which must still be there).
   *   Sent by the broker only after every replica acknowledged the delete and a grace period
   *   passed; in memory until the next compaction (see Store.purgeTombstone).
   * VSCAN cursor [MATCH pattern] [COUNT n] -> *2 [$next-cursor, *3m [$key, :version, :live, ...]]
   *   as VKEYS, restricted to the keys KeyPattern matches (prefix*, *, an exact key), with :1 for
   *   a key that has a value and :0 for a tombstone. The cursor needs no state on the server (it
   *   is the key to resume after), so the broker can start a page after any key it has merged up
   *   to.
   * Appends (see Entries): VKEYS and VVERSIONS work on stored entries, so they list and answer
   *   the internal name (key U+0000 version) of every append like a key, and VVERSIONS of an
   *   append that a PUT or DELETE of its key superseded answers that PUT's or DELETE's version (the
   *   replica needs nothing). VSCAN works on user keys: no internal names, and a key's version is
   *   the newest of its base and appends (as VGET's), :1 when it has appends even over a tombstone.
   */
  private static final ScanArgs.Spec VKEYS =
      new ScanArgs.Spec(ReplicaCommand.VKEYS.name(), ReplicaCommand.VKEYS.usage(), false, 1000);
  private static final ScanArgs.Spec VSCAN =
      new ScanArgs.Spec(ReplicaCommand.VSCAN.name(), ReplicaCommand.VSCAN.usage(), true, 1000);

  private final Store store;
  private final HintCommands hints;

  SyncCommands(Store store, HintCommands hints) {
    this.store = store;
    this.hints = hints;
  }

  void register(CommandTable table) {
    table.add(VKEYS.command(), 1, 3, VKEYS.usage(), this::vkeys)
        .add(ReplicaCommand.VVERSIONS.name(), 1, CommandTable.MANY, ReplicaCommand.VVERSIONS.usage(), this::vversions)
        .add(ReplicaCommand.VPURGE.name(), 2, 2, ReplicaCommand.VPURGE.usage(), this::vpurge)
        .add(VSCAN.command(), 1, 5, VSCAN.usage(), this::vscan)
        .route(VKEYS.command(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VVERSIONS.name(), CommandTable.Route.REPLICATION, null, false)
        .route(ReplicaCommand.VPURGE.name(), CommandTable.Route.REPLICATION, null, false)
        .route(VSCAN.command(), CommandTable.Route.REPLICATION, null, false);
  }

  private Resp vkeys(Request request, Session session) {
    String after = decodeCursor(request.arg(1));
    int count = Replies.scanArgs(request, VKEYS).count();
    List<Resp> items = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.scan("", after);
    String last = null;
    int n = 0;
    while (n < count && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (!e.getValue().hasBase()) {
        continue; // a key with appends only: its appends are listed, under their names
      }
      n++;
      last = e.getKey();
      items.add(Replies.bulk(last));
      items.add(new Resp.Int(e.getValue().version()));
    }
    String cursor = it.hasNext() ? HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8)) : "0";
    return new Resp.Array(List.of(Replies.bulk(cursor), new Resp.Array(items)));
  }

  private Resp vscan(Request request, Session session) {
    String after = decodeCursor(request.arg(1));
    ScanArgs args = Replies.scanArgs(request, VSCAN);
    KeyPattern pattern = args.pattern();
    int count = args.count();
    List<Resp> items = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.userKeys(pattern.prefix(), after);
    String last = null;
    int n = 0;
    while (n < count && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (pattern.exact() && !pattern.matches(e.getKey())) {
        break; // the walk under an exact key's prefix reached longer keys
      }
      n++;
      last = e.getKey();
      items.add(Replies.bulk(last));
      items.add(new Resp.Int(e.getValue().newest()));
      items.add(new Resp.Int(e.getValue().exists() ? 1 : 0));
      if (pattern.exact()) {
        break;
      }
    }
    boolean more = !pattern.exact() && it.hasNext();
    String cursor = more ? HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8)) : "0";
    return new Resp.Array(List.of(Replies.bulk(cursor), new Resp.Array(items)));
  }

  private Resp vversions(Request request, Session session) {
    List<Resp> versions = new ArrayList<>(request.size() - 1);
    for (int i = 1; i < request.size(); i++) {
      versions.add(new Resp.Int(store.storedVersion(request.arg(i))));
    }
    return new Resp.Array(versions);
  }

  private Resp vpurge(Request request, Session session) {
    long version = Replies.parseLong("version", request.arg(2), 0, "a 64-bit integer >= 0");
    String key = request.arg(1);
    return new Resp.Int(!hints.hinted(key) && store.purgeTombstone(key, version) ? 1 : 0);
  }

  static String decodeCursor(String cursor) {
    if (cursor.equals("0")) {
      return null;
    }
    try {
      if (cursor.length() % 2 == 0) {
        return new String(HexFormat.of().parseHex(cursor), StandardCharsets.UTF_8);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new CommandException("cursor: '" + Replies.quote(cursor)
        + "' (expected: 0 to start, or the cursor returned by the previous VKEYS or VSCAN)");
  }
}
