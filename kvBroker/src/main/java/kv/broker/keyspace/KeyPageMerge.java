package kv.broker.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.broker.engine.KeyScan;
import kv.broker.transport.Versioned;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.resp.Resp;

/**
 * Merges one VSCAN page from each live server into one page of the cluster's key space: keys in
 * order, each decided like a read (the newest version among the copies held by the key's own
 * replicas wins; a tombstone drops the key), each listed once however many replicas hold it.
 * Stateless and thread-safe.
 */
final class KeyPageMerge {
  /*
   * Each server pages through its own keys in the same order (String order, as the trie walks),
   * so after one page per server the merged key space is known exactly up to the bound: the
   * smallest last key among the servers that have more. Keys up to the bound are merged; those
   * past it are dropped and asked again, after the last examined key, by the next page. A copy
   * held by a server that is not one of the key's k replicas (left over from another placement,
   * or written to a server directly) is ignored, as GET ignores it.
   */

  /** One key on one server. */
  record Entry(String key, long version, boolean live) {}

  /** What one server answered to VSCAN: its entries in key order and whether it has more. */
  record ServerPage(ServerAddress server, List<Entry> entries, boolean more) {

    /** Parses {@code *2 [$cursor, *[$key, :version, :live, ...]]}. */
    static ServerPage parse(ServerAddress server, Resp reply) throws Versioned.MalformedReply {
      if (reply instanceof Resp.Array page && page.items().size() == 2
          && page.items().get(0) instanceof Resp.Bulk cursor && page.items().get(1) instanceof Resp.Array items
          && items.items().size() % 3 == 0) {
        List<Resp> list = items.items();
        List<Entry> entries = new ArrayList<>(list.size() / 3);
        for (int i = 0; i < list.size(); i += 3) {
          if (!(list.get(i) instanceof Resp.Bulk key && list.get(i + 1) instanceof Resp.Int version
              && list.get(i + 2) instanceof Resp.Int live)) {
            throw malformed(reply);
          }
          entries.add(new Entry(key.text(), version.value(), live.value() == 1));
        }
        boolean more = !cursor.text().equals("0");
        if (more && entries.isEmpty()) {
          throw malformed(reply);
        }
        return new ServerPage(server, entries, more);
      }
      throw malformed(reply);
    }

    private static Versioned.MalformedReply malformed(Resp reply) {
      String text = String.valueOf(reply);
      return new Versioned.MalformedReply("unexpected reply to VSCAN: "
          + (text.length() > 200 ? text.substring(0, 200) + "..." : text)
          + " (expected: *2 [$cursor, *[$key, :version, :live, ...]])");
    }
  }

  /** The newest copy of one key among its replicas; {@code placed} false while none was seen. */
  private static final class Winner {
    final List<ServerAddress> replicas;
    boolean placed;
    long version;
    boolean live;

    Winner(List<ServerAddress> replicas) {
      this.replicas = replicas;
    }
  }

  private KeyPageMerge() {}

  /**
   * Merges the servers' pages; examines at most {@code limit} distinct keys (live or not), so
   * the page returned ends at the last of them or at the bound, whichever comes first.
   */
  static KeyScan.Page merge(List<ServerPage> pages, Placement placement, int limit) {
    String bound = null;
    for (ServerPage page : pages) {
      if (page.more()) {
        String last = page.entries().get(page.entries().size() - 1).key();
        if (bound == null || last.compareTo(bound) < 0) {
          bound = last;
        }
      }
    }
    TreeMap<String, Winner> keys = new TreeMap<>();
    for (ServerPage page : pages) {
      for (Entry entry : page.entries()) {
        if (bound != null && entry.key().compareTo(bound) > 0) {
          break;
        }
        Winner winner = keys.computeIfAbsent(entry.key(), key -> new Winner(placement.replicas(key)));
        if (winner.replicas.contains(page.server()) && (!winner.placed || entry.version() > winner.version)) {
          winner.placed = true;
          winner.version = entry.version();
          winner.live = entry.live();
        }
      }
    }
    List<String> live = new ArrayList<>();
    String last = null;
    int examined = 0;
    for (Map.Entry<String, Winner> e : keys.entrySet()) {
      if (examined == limit) {
        return new KeyScan.Page(live, last);
      }
      examined++;
      last = e.getKey();
      if (e.getValue().placed && e.getValue().live) {
        live.add(e.getKey());
      }
    }
    return new KeyScan.Page(live, bound == null ? null : last);
  }
}
