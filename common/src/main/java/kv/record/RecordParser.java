package kv.record;

/**
 * Reads the record format of SPEC.md §2 with Gson's streaming {@code JsonReader} in lenient
 * mode, then validates what lenient mode lets through: top-level value must be a set, no
 * duplicate keys in one set, no trailing text, depth and size limits. Stateless and thread-safe.
 */
public final class RecordParser {
  private final Limits limits;

  public RecordParser(Limits limits) {
    this.limits = limits;
  }

  public RecordParser() {
    this(Limits.DEFAULT);
  }

  public Limits limits() {
    return limits;
  }

  /** Parses {@code key : { ... }} (key quoted or bare). */
  public Record parseRecord(String text) throws RecordFormatException {
    throw new UnsupportedOperationException("TODO");
  }

  /** Parses a value that must be a set: {@code { ... }}. */
  public SetValue parseSet(String text) throws RecordFormatException {
    throw new UnsupportedOperationException("TODO");
  }

  /** Parses any single value (set, string, number, list, boolean, null). */
  public Value parseValue(String text) throws RecordFormatException {
    throw new UnsupportedOperationException("TODO");
  }
}
