package kv.broker.cli;

import java.nio.file.Path;
import java.util.Locale;
import kv.broker.index.IndexSummary;

/** Formats the summary printed after indexing with {@code -i}. Stateless. */
final class IndexReport {
  private IndexReport() {}

  /**
   * {@code indexed 4 records from data.txt in 0.12 s (33 records/s); no errors}, or the failed
   * lines with their numbers and messages (as many as the indexer kept, then a count of the rest).
   */
  static String format(Path file, IndexSummary s) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "indexed %,d records from %s in %.2f s (%,.0f records/s)", s.records(), file, s.seconds(), s.recordsPerSecond()));
    if (s.failureCount() == 0) {
      return out.append("; no errors").toString();
    }
    out.append("; ").append(s.failureCount()).append(s.failureCount() == 1 ? " line" : " lines")
        .append(" not indexed:");
    for (IndexSummary.Failure f : s.failures()) {
      out.append("\n  line ").append(f.line()).append(": ").append(f.message());
    }
    if (s.failureCount() > s.failures().size()) {
      out.append("\n  ... and ").append(s.failureCount() - s.failures().size()).append(" more");
    }
    return out.toString();
  }
}
