package kv.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of live keys across every group, in key order: {@code next} is the key to continue
 * after, or null when the walk is complete. Immutable.
 */
public record KeyPage(List<String> keys, String next) {
  public KeyPage {
    keys = List.copyOf(keys);
  }

  /** One group's page: its live keys in order and whether it has more after the last key it examined. */
  record Part(List<String> live, String lastExamined, boolean more) {}

  /*
   * Groups hold disjoint keys, so the merge is a union in order. A group that has more keys
   * bounds the page: keys after its last examined key may exist there, so the page ends at the
   * smallest such bound and the next page starts after it (each key exactly once).
   */
  static KeyPage merge(List<Part> parts) {
    String bound = null;
    for (Part p : parts) {
      if (p.more() && (bound == null || p.lastExamined().compareTo(bound) < 0)) {
        bound = p.lastExamined();
      }
    }
    List<String> keys = new ArrayList<>();
    for (Part p : parts) {
      for (String k : p.live()) {
        if (bound == null || k.compareTo(bound) <= 0) {
          keys.add(k);
        }
      }
    }
    keys.sort(null);
    return new KeyPage(keys, bound);
  }
}
