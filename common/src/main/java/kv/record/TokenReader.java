package kv.record;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.EOFException;
import java.io.IOException;

/**
 * Gson's streaming {@link JsonReader}, in lenient mode, over one {@link SourceText}: each step
 * records the offset where the consumed token ended, quoted strings are held to JSON's rules, and
 * Gson's exceptions become {@link RecordFormatException}s in our words. Not thread-safe.
 */
final class TokenReader {
  /*
   * Gson reports positions only in its description ("JsonReader at line L column C path $.a"),
   * and building that string costs more than reading the token, so the end of a token is derived
   * from what Gson returned whenever that is exact: a number's text, a keyword, an unquoted word
   * and a quoted string without escapes come back character for character (for the last: when the
   * text after the opening quote equals the value and is followed by '"', that quote must be the
   * closing one, since an escape would make the text differ from the value before it). Otherwise
   * the description is read. Callers pass each token's start offset, found by their own layout
   * check, so errors point at the token rather than where Gson noticed the problem.
   */
  static final String ESCAPES = "\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits";

  private final SourceText text;
  private final JsonReader reader;
  /** Offset just after the last consumed token. */
  private int end;

  TokenReader(SourceText text, int nestingLimit) {
    this.text = text;
    this.reader = new JsonReader(text.reader());
    reader.setStrictness(Strictness.LENIENT);
    reader.setNestingLimit(nestingLimit);
  }

  int end() {
    return end;
  }

  JsonToken peek(int start) throws RecordFormatException {
    try {
      return reader.peek();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
  }

  /** The next token's kind, or null when Gson cannot tell. */
  JsonToken peekQuietly() {
    try {
      return reader.peek();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  void beginObject(int start) throws RecordFormatException {
    try {
      reader.beginObject();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    end = start + 1;
  }

  void endObject(int start) throws RecordFormatException {
    try {
      reader.endObject();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    end = start + 1;
  }

  void beginArray(int start) throws RecordFormatException {
    try {
      reader.beginArray();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    end = start + 1;
  }

  void endArray(int start) throws RecordFormatException {
    try {
      reader.endArray();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    end = start + 1;
  }

  String nextName(int start) throws RecordFormatException {
    String name;
    try {
      name = reader.nextName();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    afterQuotable(start, name);
    return name;
  }

  /** A string (quoted or not) or the literal text of a number. */
  String nextString(int start) throws RecordFormatException {
    String s;
    try {
      s = reader.nextString();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    afterQuotable(start, s);
    return s;
  }

  /** Reads true or false (in any case: lenient Gson accepts TRUE; the caller checks the text). */
  boolean nextBoolean(int start) throws RecordFormatException {
    boolean b;
    try {
      b = reader.nextBoolean();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    end = start + (b ? 4 : 5);
    return b;
  }

  void nextNull(int start) throws RecordFormatException {
    try {
      reader.nextNull();
    } catch (IOException | RuntimeException e) {
      throw failure(e, start);
    }
    end = start + 4;
  }

  private void afterQuotable(int start, String value) throws RecordFormatException {
    if (text.charAt(start) != '"') {
      end = start + value.length(); // unquoted words and numbers come back verbatim
      return;
    }
    int close = start + 1 + value.length();
    end = text.charAt(close) == '"' && text.regionMatches(start + 1, value) ? close + 1 : readerOffset();
    checkQuoted(start);
  }

  private int readerOffset() {
    return text.offsetOfLocation(reader.toString());
  }

  /** Lenient mode lets raw control characters and escapes like \' through; JSON does not. */
  private void checkQuoted(int start) throws RecordFormatException {
    for (int i = start + 1; i < end - 1; i++) {
      int c = text.charAt(i);
      if (c < 0x20) {
        throw text.error("control character " + SourceText.describeChar((char) c)
            + " inside a string (expected: an escape such as \\n or \\u0001)", i);
      }
      if (c == '\\') {
        if ("\"\\/bfnrtu".indexOf(text.charAt(i + 1)) < 0) {
          throw invalidEscape(i, null);
        }
        i++;
      }
    }
  }

  private RecordFormatException invalidEscape(int backslash, Throwable cause) {
    int stop = Math.min(text.length(), backslash + (text.charAt(backslash + 1) == 'u' ? 6 : 2));
    String seq = text.substring(backslash, stop);
    int quote = seq.indexOf('"', 1);
    if (quote > 0) {
      seq = seq.substring(0, quote);
    }
    if (seq.length() > 1 && seq.charAt(1) < 0x20) {
      seq = "\\ followed by " + SourceText.describeChar(seq.charAt(1));
    }
    return text.error("invalid escape sequence " + seq + " in a string (expected: " + ESCAPES + ")", backslash, cause);
  }

  /** The error for what Gson threw while reading the token that starts at {@code start}. */
  private RecordFormatException failure(Exception e, int start) {
    if (e instanceof EOFException) {
      return text.error("unexpected end of input", text.length(), e);
    }
    return translate(e, start);
  }

  /*
   * The callers' layout checks catch structural problems before Gson sees them, so what Gson
   * still reports is about the token itself: a string without its closing quote or with a bad
   * escape. Its messages (class names, "setLenient" hints, a troubleshooting link) never reach
   * the user; the exception stays attached as the cause.
   */
  private RecordFormatException translate(Exception e, int start) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.startsWith("Unterminated string")) {
      return text.error("unterminated string (expected: a closing '\"')", start, e);
    }
    if (message.contains("escape")) {
      int backslash = text.offsetOfLocation(message);
      while (backslash > start && text.charAt(backslash) != '\\') {
        backslash--;
      }
      if (text.charAt(backslash) == '\\') {
        return invalidEscape(backslash, e);
      }
    }
    return text.error("unreadable text starting with " + text.describe(start) + " (expected: "
        + ValueReader.VALUE_KINDS + ")", start, e);
  }
}
