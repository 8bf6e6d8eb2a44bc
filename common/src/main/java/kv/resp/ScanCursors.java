package kv.resp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SCAN cursors for a RESP port: each non-final SCAN reply gets a new decimal cursor id that stands
 * for the last key its page examined; a bounded least-recently-used table maps ids back to keys.
 * Thread-safe (synchronized; every operation is a map lookup or insert).
 */
public final class ScanCursors {
  /*
   * Why a table and not the key itself: redis-cli (and other clients) parse the cursor as an
   * unsigned 64-bit decimal number, so it cannot carry a key, and no fixed-width number can
   * encode every key's position. Memory stays bounded: at most `capacity` cursors and about
   * MAX_KEY_CHARS characters of keys are kept, the least recently used go first; a client that
   * comes back with an evicted cursor (or one from another process, or from before a restart)
   * gets an error and starts again from 0. Ids count up from a random start below 2^62, so a
   * cursor from an earlier run is almost surely unknown rather than silently taken for another
   * scan's position ("0" starts and ends a scan, as in Redis). Resuming does not remove a
   * cursor, so a client may retry a page.
   */
  public static final int DEFAULT_CAPACITY = 10_000;
  private static final long MAX_KEY_CHARS = 8L * 1024 * 1024;

  private final int capacity;
  private final LinkedHashMap<Long, String> table = new LinkedHashMap<>(64, 0.75f, true);
  private long nextId;
  private long keyChars;

  public ScanCursors(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
    this.nextId = ThreadLocalRandom.current().nextLong(1, 1L << 62);
  }

  public int capacity() {
    return capacity;
  }

  /** A new cursor that resumes a scan after {@code lastKey}. */
  public synchronized String issue(String lastKey) {
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

  /**
   * The key a scan resumes after: null for "0" (a new scan). Throws IllegalArgumentException
   * for a cursor that is not one of the kept ids; callers turn it into their error reply.
   */
  public synchronized String resume(String cursor) {
    if (cursor.equals("0")) {
      return null;
    }
    String key = null;
    if (!cursor.isEmpty() && cursor.length() <= 19 && cursor.chars().allMatch(c -> c >= '0' && c <= '9')) {
      key = table.get(Long.parseLong(cursor));
    }
    if (key == null) {
      String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor;
      throw new IllegalArgumentException("invalid cursor '" + shown + "' (expected: 0 to start, or a cursor"
          + " returned by SCAN here within the last " + capacity + " scans; start again from 0)");
    }
    return key;
  }
}
