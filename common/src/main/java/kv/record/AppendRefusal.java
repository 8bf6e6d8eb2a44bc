package kv.record;

import java.util.List;

/**
 * Why an APPEND at a path of a key's value would not apply (a place on the way or at the end holds
 * something other than a set, a list or nothing), in the words servers and brokers both answer.
 * Pure; stateless.
 */
public final class AppendRefusal {
  private static final int MAX_QUOTED = 100;

  private AppendRefusal() {}

  /**
   * Why appending at {@code path} of {@code key} (whose value is {@code root}, null when absent)
   * would be skipped, as the rest of an error message after {@code "APPEND key.path: "}; null when
   * it applies (the place holds a list, or nothing: the list is created).
   */
  public static String of(String key, Value root, List<String> path) {
    Value node = root;
    for (int i = 0; i < path.size() && node != null; i++) {
      String segment = path.get(i);
      if (node instanceof SetValue set) {
        node = set.get(segment);
        continue;
      }
      String here = new Path(key, path.subList(0, i)).toString();
      if (node instanceof ListValue list) {
        int size = list.items().size();
        int at = Path.listIndex(segment);
        if (at < 0 || at >= size) {
          return here + " is a list of " + size + (size == 1 ? " element" : " elements") + ", so it has no element '"
              + quote(segment) + "' (expected: " + (size == 0 ? "a path to an existing element"
              : "an element index from 0 to " + (size - 1)) + ")";
        }
        node = list.items().get(at);
        continue;
      }
      return here + " is " + ValueTypes.describe(node) + ", so it holds no '" + quote(segment)
          + "' (expected: a path through sets and lists)";
    }
    if (node == null || node instanceof ListValue) {
      return null;
    }
    return "the value there is " + ValueTypes.describe(node) + ", not a list (APPEND adds to a list; PUT replaces a value)";
  }

  /** Client-sent text in a message: at most 100 chars, control characters as spaces (one line). */
  public static String quote(String text) {
    String s = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 && c != '\t' ? ' ' : c);
    }
    return out.toString();
  }
}
