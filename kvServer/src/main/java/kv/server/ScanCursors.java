package kv.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SCAN cursors of one server: each non-final SCAN reply gets a new decimal cursor id that
 * stands for the last key it examined; a bounded least-recently-used table maps ids back to keys.
 * Thread-safe (synchronized; every operation is a map lookup or insert).
 */
final class ScanCursors {
  /*
   * Why a table and not the key itself: redis-cli (and other clients) parse the cursor as an
   * unsigned 64-bit decimal number, so it cannot carry a key. Ids come from a counter starting
   * at 1 ("0" starts and ends a scan, as in Redis). Memory stays bounded: at most `capacity`
   * cursors and about MAX_KEY_CHARS characters of keys are kept, the least recently used go
   * first; a client that comes back with an evicted cursor gets an error naming the bound and
   * starts again from 0. Resuming a cursor does not remove it, so a client may retry a page.
   */
  static final int DEFAULT_CAPACITY = 10_000;
  private static final long MAX_KEY_CHARS = 8L * 1024 * 1024;

  private final int capacity;
  private final LinkedHashMap<Long, String> table = new LinkedHashMap<>(64, 0.75f, true);
  private long nextId = 1;
  private long keyChars;

  ScanCursors(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
  }

  /** A new cursor that resumes a scan after {@code lastKey}. */
  synchronized String issue(String lastKey) {
    long id = nextId++;
    table.put(id, lastKey);
    keyChars += lastKey.length();
    Iterator<Map.Entry<Long, String>> eldest = table.entrySet().iterator();
    while ((table.size() > capacity || keyChars > MAX_KEY_CHARS) && table.size() > 1) {
      keyChars -= eldest.next().getValue().length();
      eldest.remove();
    }
    return Long.toString(id);
  }

  /** The key to resume after: null for "0" (a new scan); a CommandException for an unknown cursor. */
  synchronized String resume(String cursor) {
    if (cursor.equals("0")) {
      return null;
    }
    String key = null;
    if (!cursor.isEmpty() && cursor.length() <= 19 && cursor.chars().allMatch(c -> c >= '0' && c <= '9')) {
      key = table.get(Long.parseLong(cursor));
    }
    if (key == null) {
      throw new CommandException("invalid cursor '" + Replies.quote(cursor) + "' (expected: 0 or a cursor returned"
          + " by SCAN within the last " + capacity + " scans)");
    }
    return key;
  }
}
