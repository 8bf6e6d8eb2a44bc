package kv.record;

import java.util.List;

/**
 * A path into a record: the top-level key then zero or more segments, as in
 * {@code person2.address.number}, {@code key."a.b"} or {@code key.tags.0}. Segments that hold
 * dots, spaces or quotes are quoted with JSON escapes. Immutable.
 */
public record Path(String key, List<String> segments) {
  public Path {
    segments = List.copyOf(segments);
  }

  /** Parses path text; the error names the position and what was expected. */
  public static Path parse(String text) throws RecordFormatException {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Walks the segments from {@code root} (the record's set); a list element is addressed by its
   * index. Returns {@code null} when any step is absent.
   */
  public Value resolve(SetValue root) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Canonical text, parseable by {@link #parse}. */
  @Override
  public String toString() {
    throw new UnsupportedOperationException("TODO");
  }
}
