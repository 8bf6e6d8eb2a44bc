package kv.broker.index;

import java.util.List;

/**
 * The end of an indexing run: records stored on at least one replica, the failures kept (line
 * number and message, in line order, at most a cap) and how many there were in all, the
 * time taken and the rate. Immutable.
 */
public record IndexSummary(long records, List<Failure> failures, long failureCount, double seconds, double recordsPerSecond) {

  /** One line that was not indexed. */
  public record Failure(long line, String message) {}

  public IndexSummary {
    failures = List.copyOf(failures);
  }
}
