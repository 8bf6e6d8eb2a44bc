package kv.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.ScanArgs;
import kv.resp.ScanCursors;

/**
 * KEYS, SCAN and TYPE: walks of the key trie under a prefix, keys that have a value only (never
 * the names of APPEND entries). Thread-safe: each walk
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
  /** SCAN's options (MATCH, COUNT) and their bounds, here and in strong mode's SCAN across groups. */
  static final ScanArgs.Spec SCAN = new ScanArgs.Spec("SCAN", SCAN_USAGE, true, 10);
  /* $len\r\n ... \r\n around each key, counted before the key is added. */
  private static final int KEY_FRAMING = 16;

  private final Store store;
  private final ScanCursors cursors = new ScanCursors(ScanCursors.DEFAULT_CAPACITY);
  private final long maxReplyBytes;

  /** @param maxReplyBytes the per-client reply bound: a KEYS reply is never built past it */
  KeyspaceCommands(Store store, long maxReplyBytes) {
    this.store = store;
    this.maxReplyBytes = maxReplyBytes;
  }

  void register(CommandTable table) {
    table.add("KEYS", 1, 1, "KEYS prefix*", this::keys)
        .add("SCAN", 1, 5, SCAN_USAGE, this::scan)
        .add("TYPE", 1, 1, "TYPE key", this::type)
        .route("KEYS", CommandTable.Route.KEYSPACE, null, false)
        .route("SCAN", CommandTable.Route.KEYSPACE, null, false)
        .route("TYPE", CommandTable.Route.READ, CommandTable.FIRST, false);
  }

  private Resp keys(Request request, Session session) {
    KeyPattern pattern = Replies.keyPattern(request.arg(1));
    List<Resp> keys = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.userKeys(pattern.prefix(), null);
    long bytes = 0;
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (pattern.exact() && !e.getKey().equals(pattern.prefix())) {
        break;
      }
      if (e.getValue().exists()) {
        Resp.Bulk key = (Resp.Bulk) Replies.bulk(e.getKey());
        bytes += key.data().length + KEY_FRAMING;
        if (bytes > maxReplyBytes) {
          throw new CommandException("KEYS: the reply would be over " + maxReplyBytes + " bytes after " + keys.size()
              + " keys (expected: at most --max-reply-bytes " + maxReplyBytes + "; use SCAN to page through the keys)");
        }
        keys.add(key);
      }
    }
    return new Resp.Array(keys);
  }

  /*
   * A record is a JSON document (SPEC §9), so TYPE answers what RedisJSON answers for one,
   * "ReJSON-RL": tools that know RedisJSON (RedisInsight, redis-py's json()) then read it with
   * JSON.GET. "string" would promise STRLEN, APPEND and GETRANGE on the text, "hash" HGET and
   * HGETALL; KV has neither.
   */
  private Resp type(Request request, Session session) {
    return new Resp.Simple(store.exists(Replies.userKey(request.arg(1))) ? "ReJSON-RL" : "none");
  }

  private Resp scan(Request request, Session session) {
    String after;
    try {
      after = cursors.resume(request.arg(1));
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
    ScanArgs args = Replies.scanArgs(request, SCAN);
    KeyPattern pattern = args.pattern();
    int count = args.count();
    List<Resp> keys = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.userKeys(pattern.prefix(), after);
    String last = null;
    int examined = 0;
    while (examined < count && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      examined++;
      last = e.getKey();
      if (pattern.matches(last) && e.getValue().exists()) {
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
