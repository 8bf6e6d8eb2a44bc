package kv.record;

import java.util.Objects;

/**
 * Reads the record format of SPEC.md §2 with Gson's streaming {@code JsonReader} in lenient
 * mode, then validates what lenient mode lets through: top-level value must be a set, no
 * duplicate keys in one set, no trailing text, depth and size limits. Stateless and thread-safe.
 */
public final class RecordParser {
  /*
   * What lenient mode would accept and this parser decides (each has a test in RecordParserTest):
   * - accepted: bare keys that are plain words (letters, digits, '_', '-'), at the top and inside
   *   sets; ';' or ',' between pairs and between list items; a quoted top-level key.
   * - rejected, with the position: bare keys that are not plain words (quote them), bare words as
   *   values ("strings are quoted"), single-quoted strings and keys, '=' and '=>' instead of ':',
   *   comments, empty list elements and trailing separators, TRUE/True/NULL (only lowercase
   *   keywords), raw control characters inside strings and escapes JSON does not have (\' or a
   *   backslash before a newline), integers that do not fit in 64 bits (no silent rounding; write
   *   a float), NaN, Infinity and -Infinity (JSON has none of them) and numbers beyond the
   *   largest double (1e999), several values or records in one text.
   * - numbers: a literal with '.', 'e' or 'E' is a DoubleValue, any other an IntValue.
   * Depth: the outermost set or list is depth 1; every nested set or list adds one.
   */
  private final Limits limits;

  public RecordParser(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public RecordParser() {
    this(Limits.DEFAULT);
  }

  public Limits limits() {
    return limits;
  }

  /** Parses {@code key : { ... }} (key quoted or bare). */
  public Record parseRecord(String text) throws RecordFormatException {
    checkSize(text, "record");
    try {
      return new ValueReader(SourceText.braced(text), limits).readRecord();
    } catch (StackOverflowError e) {
      throw tooDeepForTheStack(e);
    }
  }

  /** Parses a value that must be a set: {@code { ... }}. */
  public SetValue parseSet(String text) throws RecordFormatException {
    checkSize(text, "set");
    try {
      return new ValueReader(SourceText.plain(text), limits).readTopSet();
    } catch (StackOverflowError e) {
      throw tooDeepForTheStack(e);
    }
  }

  /** Parses any single value (set, string, number, list, boolean, null). */
  public Value parseValue(String text) throws RecordFormatException {
    checkSize(text, "value");
    try {
      return new ValueReader(SourceText.plain(text), limits).readTopValue();
    } catch (StackOverflowError e) {
      throw tooDeepForTheStack(e);
    }
  }

  /*
   * Within Limits.MAX_DEPTH the default 1 MiB thread stack is enough (see Limits); a thread with a
   * smaller one (-Xss) still gets an error that names the problem, and the thread goes on.
   */
  private RecordFormatException tooDeepForTheStack(StackOverflowError e) {
    return new RecordFormatException("nesting too deep for this thread's stack (limit " + limits.maxDepth()
        + " levels; expected: a thread stack of at least 1 MiB, the JVM's default -Xss)", 0, 0, e);
  }

  /** Checks the UTF-8 size before anything is read or allocated. */
  private void checkSize(String text, String what) throws RecordFormatException {
    Objects.requireNonNull(text, "text");
    int max = limits.maxRecordBytes();
    // A char is one to three UTF-8 bytes (a surrogate pair: four for two), so a text of at most
    // max / 3 chars fits and one longer than max chars does not, both without counting;
    // otherwise count (this cannot overflow).
    if (text.length() <= max / 3) {
      return;
    }
    long size = text.length() > max ? text.length() : utf8Length(text);
    if (size > max) {
      throw new RecordFormatException(what + " size: " + (text.length() > max ? "at least " : "") + size
          + " bytes (expected: <= " + max + ")");
    }
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
