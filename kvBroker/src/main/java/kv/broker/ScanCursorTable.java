package kv.broker;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The router's SCAN cursors: each non-final SCAN reply gets a new decimal cursor id that stands
 * for the last key the page examined; a bounded least-recently-used table maps ids back to keys.
 * Thread-safe (synchronized; every operation is a map lookup or insert).
 */
final class ScanCursorTable {
  /*
   * Why a table and not the key itself: redis-cli parses the cursor as an unsigned 64-bit decimal
   * number, so it cannot carry a key, and no fixed-width number can encode every key's position.
   * Memory stays bounded: at most `capacity` cursors and about MAX_KEY_CHARS characters of keys
   * are kept, the least recently used go first; a client that comes back with an evicted cursor
   * (or one from another broker, or from before a restart) gets an error and starts again from 0.
   * Ids count up from a random start below 2^62, so a cursor from an earlier run of the broker is
   * almost surely unknown rather than silently mapped to another scan's position. Resuming does
   * not remove a cursor, so a client may retry a page.
   */
  static final int DEFAULT_CAPACITY = 10_000;
  private static final long MAX_KEY_CHARS = 8L * 1024 * 1024;

  private final int capacity;
  private final LinkedHashMap<Long, String> table = new LinkedHashMap<>(64, 0.75f, true);
  private long nextId;
  private long keyChars;

  ScanCursorTable(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
    this.nextId = ThreadLocalRandom.current().nextLong(1, 1L << 62);
  }

  int capacity() {
    return capacity;
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

  /** The key to resume after: null for "0" (a new scan). */
  synchronized String resume(String cursor) throws CommandException {
    if (cursor.equals("0")) {
      return null;
    }
    String key = null;
    if (!cursor.isEmpty() && cursor.length() <= 19 && cursor.chars().allMatch(c -> c >= '0' && c <= '9')) {
      key = table.get(Long.parseLong(cursor));
    }
    if (key == null) {
      String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor;
      throw new CommandException("invalid cursor '" + shown + "' (expected: 0 to start, or a cursor this broker"
          + " returned within its last " + capacity + " scans; start again from 0)");
    }
    return key;
  }
}
