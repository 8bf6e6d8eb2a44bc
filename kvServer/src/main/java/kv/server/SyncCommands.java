package kv.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.Resp;

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
   *   delete is copied like a write.
   * VVERSIONS key [key ...] -> *n [:version, or :-1 for a key never seen]
   * VPURGE key version -> :1 the tombstone with exactly that version was removed (the key is then
   *   never seen: VGET answers $-1), :0 otherwise (absent, a live record, or another version).
   *   Sent by the broker only after every replica acknowledged the delete and a grace period
   *   passed; in memory until the next compaction (see Store.purgeTombstone).
   * VSCAN cursor [MATCH pattern] [COUNT n] -> *2 [$next-cursor, *3m [$key, :version, :live, ...]]
   *   as VKEYS, restricted to the keys KeyPattern matches (prefix*, *, an exact key), with :1 for
   *   a record and :0 for a tombstone. The cursor needs no state on the server (it is the key to
   *   resume after), so the broker can start a page after any key it has merged up to.
   */
  static final String VKEYS_USAGE = "VKEYS cursor [COUNT n]";
  static final String VVERSIONS_USAGE = "VVERSIONS key [key ...]";
  static final String VPURGE_USAGE = "VPURGE key version";
  static final String VSCAN_USAGE = "VSCAN cursor [MATCH prefix*] [COUNT n]";
  static final int DEFAULT_COUNT = 1000;
  static final int MAX_COUNT = 100_000;

  private final Store store;

  SyncCommands(Store store) {
    this.store = store;
  }

  void register(CommandTable table) {
    table.add("VKEYS", 1, 3, VKEYS_USAGE, this::vkeys)
        .add("VVERSIONS", 1, CommandTable.MANY, VVERSIONS_USAGE, this::vversions)
        .add("VPURGE", 2, 2, VPURGE_USAGE, this::vpurge)
        .add("VSCAN", 1, 5, VSCAN_USAGE, this::vscan)
        .route("VKEYS", CommandTable.Route.REPLICATION, null, false)
        .route("VVERSIONS", CommandTable.Route.REPLICATION, null, false)
        .route("VPURGE", CommandTable.Route.REPLICATION, null, false)
        .route("VSCAN", CommandTable.Route.REPLICATION, null, false);
  }

  private Resp vkeys(Request request, Session session) {
    String after = decodeCursor(request.arg(1));
    int count = DEFAULT_COUNT;
    if (request.size() > 2) {
      if (request.size() != 4 || !request.arg(2).toUpperCase(Locale.ROOT).equals("COUNT")) {
        throw CommandTable.wrongArity("VKEYS", VKEYS_USAGE);
      }
      count = parseCount(request.arg(3));
    }
    List<Resp> items = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.scan("", after);
    String last = null;
    int n = 0;
    while (n < count && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
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
    KeyPattern pattern = KeyPattern.all();
    int count = DEFAULT_COUNT;
    for (int i = 2; i < request.size(); i += 2) {
      if (i + 1 >= request.size()) {
        throw CommandTable.wrongArity("VSCAN", VSCAN_USAGE);
      }
      String option = request.arg(i).toUpperCase(Locale.ROOT);
      if (option.equals("MATCH")) {
        pattern = Replies.keyPattern(request.arg(i + 1));
      } else if (option.equals("COUNT")) {
        count = parseCount(request.arg(i + 1));
      } else {
        throw new CommandException("VSCAN option: '" + Replies.quote(request.arg(i))
            + "' is not supported (expected: " + VSCAN_USAGE + ")");
      }
    }
    List<Resp> items = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.scan(pattern.prefix(), after);
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
      items.add(new Resp.Int(e.getValue().version()));
      items.add(new Resp.Int(e.getValue().isLive() ? 1 : 0));
      if (pattern.exact()) {
        break;
      }
    }
    boolean more = !pattern.exact() && it.hasNext();
    String cursor = more ? HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8)) : "0";
    return new Resp.Array(List.of(Replies.bulk(cursor), new Resp.Array(items)));
  }

  private static int parseCount(String text) {
    long count = Replies.parseLong("COUNT", text, 1, "an integer from 1 to " + MAX_COUNT);
    if (count > MAX_COUNT) {
      throw new CommandException("COUNT: " + count + " (expected: an integer from 1 to " + MAX_COUNT + ")");
    }
    return (int) count;
  }

  private Resp vversions(Request request, Session session) {
    List<Resp> versions = new ArrayList<>(request.size() - 1);
    for (int i = 1; i < request.size(); i++) {
      Entry e = store.entry(request.arg(i));
      versions.add(new Resp.Int(e == null ? -1 : e.version()));
    }
    return new Resp.Array(versions);
  }

  private Resp vpurge(Request request, Session session) {
    long version = Replies.parseLong("version", request.arg(2), 0, "a 64-bit integer >= 0");
    return new Resp.Int(store.purgeTombstone(request.arg(1), version) ? 1 : 0);
  }

  private static String decodeCursor(String cursor) {
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
