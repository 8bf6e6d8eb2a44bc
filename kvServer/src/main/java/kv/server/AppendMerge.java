package kv.server;

import java.util.ArrayList;
import java.util.List;
import kv.record.AppendEntry;
import kv.record.AppendRefusal;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.SetValue;
import kv.record.Value;

/**
 * How a key's APPEND entries apply to its base value when the key is read, and why a plain APPEND
 * is refused. Pure functions over immutable values; stateless.
 */
final class AppendMerge {
  /*
   * Merge rule (the same on every replica, so replicas holding the same entries read the same
   * value): start from the base value (null when the key has no live base), then apply the live
   * appends (those newer than the base) in version order. An append of element e at path p:
   *  - walks p from the value: a set by key, a list by element index (a decimal segment);
   *  - a missing key or a missing value on the way is created: sets for the segments, then [e];
   *  - at the end, a list gets e as one more element (a list e is one element, never spliced);
   *  - anything else on the way or at the end (a string, a number, true/false/null, a list index
   *    beyond the list, a non-index segment on a list) skips this append: it stays stored (until
   *    a newer PUT or DELETE supersedes it) but is not part of the value. That happens only when
   *    writes race (a PUT elsewhere replaced the list by a string while this APPEND was in
   *    flight); a plain APPEND that would be skipped is refused up front (refusal below).
   * Consecutive appends to the same path are applied as one batch (one copy of the list, not one
   * per element), which keeps a key with n appends at O(n) per read, not O(n^2).
   */
  private AppendMerge() {}

  /** {@code base} (null when absent) with {@code appends} (in version order) applied. */
  static Value merge(Value base, List<AppendEntry> appends) {
    Value current = base;
    int i = 0;
    while (i < appends.size()) {
      List<String> path = appends.get(i).path();
      int j = i + 1;
      while (j < appends.size() && appends.get(j).path().equals(path)) {
        j++;
      }
      List<Value> elements = new ArrayList<>(j - i);
      for (int k = i; k < j; k++) {
        elements.add(appends.get(k).value());
      }
      Value next = appendAt(current, path, 0, elements);
      if (next != null) {
        current = next;
      }
      i = j;
    }
    return current;
  }

  /** {@code node} with {@code elements} appended at {@code path} from segment {@code i}; null: skipped. */
  private static Value appendAt(Value node, List<String> path, int i, List<Value> elements) {
    if (i == path.size()) {
      if (node == null) {
        return new ListValue(elements);
      }
      if (node instanceof ListValue list) {
        List<Value> items = new ArrayList<>(list.items().size() + elements.size());
        items.addAll(list.items());
        items.addAll(elements);
        return new ListValue(items);
      }
      return null;
    }
    String segment = path.get(i);
    if (node == null) {
      return SetValue.builder().put(segment, appendAt(null, path, i + 1, elements)).build();
    }
    if (node instanceof SetValue set) {
      Value inner = appendAt(set.get(segment), path, i + 1, elements);
      return inner == null ? null : set.with(segment, inner);
    }
    if (node instanceof ListValue list) {
      int at = Path.listIndex(segment);
      if (at < 0 || at >= list.items().size()) {
        return null;
      }
      Value inner = appendAt(list.items().get(at), path, i + 1, elements);
      if (inner == null) {
        return null;
      }
      List<Value> items = new ArrayList<>(list.items());
      items.set(at, inner);
      return new ListValue(items);
    }
    return null;
  }

  /**
   * Why appending at {@code path} of {@code key} (whose value is {@code root}, null when absent)
   * would be skipped, as the rest of an error message after "APPEND key.path: "; null when it
   * applies. The words are {@link AppendRefusal}'s, which brokers answer too.
   */
  static String refusal(String key, Value root, List<String> path) {
    return AppendRefusal.of(key, root, path);
  }
}
