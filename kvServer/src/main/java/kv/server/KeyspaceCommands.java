package kv.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.ScanCursors;

/**
 * KEYS and SCAN: walks of the key trie under a prefix, live records only. Thread-safe: each walk
 * runs over a snapshot of the trie and never blocks writers; the cursor table is thread-safe.
 */
final class KeyspaceCommands {
  /*
   * SCAN cursor: "0" starts and ends an iteration; any other cursor is a decimal id that
   * ScanCursors maps to the last key examined, so a scan resumes after it
   * (prefixIterator(prefix, after)). Keys
   * written behind the cursor during a scan are not returned, keys written ahead are; a key
   * present for the whole scan is returned exactly once. Each call examines at most COUNT entries
   * (tombstones included), so a call may return fewer keys than COUNT with a non-zero cursor.
   */
  static final String SCAN_USAGE = "SCAN cursor [MATCH prefix*] [COUNT n]";
  private static final int DEFAULT_COUNT = 10;

  private final Store store;
  private final ScanCursors cursors = new ScanCursors(ScanCursors.DEFAULT_CAPACITY);

  KeyspaceCommands(Store store) {
    this.store = store;
  }

  void register(CommandTable table) {
    table.add("KEYS", 1, 1, "KEYS prefix*", this::keys)
        .add("SCAN", 1, 5, SCAN_USAGE, this::scan)
        .route("KEYS", CommandTable.Route.KEYSPACE, null, false)
        .route("SCAN", CommandTable.Route.KEYSPACE, null, false);
  }

  private Resp keys(Request request, Session session) {
    KeyPattern pattern = Replies.keyPattern(request.arg(1));
    List<Resp> keys = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.scan(pattern.prefix(), null);
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (pattern.exact() && !e.getKey().equals(pattern.prefix())) {
        break;
      }
      if (e.getValue().isLive()) {
        keys.add(Replies.bulk(e.getKey()));
      }
    }
    return new Resp.Array(keys);
  }

  /** SCAN's MATCH and COUNT. */
  record ScanOptions(KeyPattern pattern, int count) {}

  /** Reads SCAN's options after the cursor; a bad one is the client's error. */
  static ScanOptions scanOptions(Request request) {
    KeyPattern pattern = KeyPattern.all();
    int count = DEFAULT_COUNT;
    for (int i = 2; i < request.size(); i += 2) {
      String option = request.arg(i).toUpperCase(java.util.Locale.ROOT);
      if (i + 1 >= request.size()) {
        throw CommandTable.wrongArity("SCAN", SCAN_USAGE);
      }
      if (option.equals("MATCH")) {
        pattern = Replies.keyPattern(request.arg(i + 1));
      } else if (option.equals("COUNT")) {
        count = (int) Replies.parseLong("COUNT", request.arg(i + 1), 1, "an integer from 1 to 2147483647");
      } else {
        throw new CommandException("SCAN option: '" + Replies.quote(request.arg(i))
            + "' is not supported (expected: MATCH prefix* or COUNT n)");
      }
    }
    return new ScanOptions(pattern, count);
  }

  private Resp scan(Request request, Session session) {
    String after;
    try {
      after = cursors.resume(request.arg(1));
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
    ScanOptions options = scanOptions(request);
    KeyPattern pattern = options.pattern();
    int count = options.count();
    List<Resp> keys = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.scan(pattern.prefix(), after);
    String last = null;
    int examined = 0;
    while (examined < count && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      examined++;
      last = e.getKey();
      if (pattern.matches(last) && e.getValue().isLive()) {
        keys.add(Replies.bulk(last));
      }
      if (pattern.exact()) {
        break;
      }
    }
    boolean more = !pattern.exact() && it.hasNext();
    String cursor = more ? cursors.issue(last) : "0";
    return new Resp.Array(List.of(Replies.bulk(cursor), new Resp.Array(keys)));
  }
}
