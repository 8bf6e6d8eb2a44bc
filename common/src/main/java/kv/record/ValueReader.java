package kv.record;

import com.google.gson.stream.JsonToken;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over one text: Gson's lenient reader (through {@link TokenReader}) reads the tokens;
 * this class checks the layout between them and what lenient mode would let through, and builds
 * the values. Not thread-safe; one instance per parse.
 */
final class ValueReader {
  /*
   * How the checks work: Gson tells, after each token is consumed, where it ended ("at line L
   * column C" in its description). Before asking the reader for the next token we look at the
   * text between the previous token's end and the next token: it may hold only JSON whitespace
   * and the one separator the grammar wants there (':' after a key, ';' or ',' between pairs,
   * ',' or ';' between list items). That rules out what lenient mode would skip or accept silently
   * ('=' and '=>' separators, comments, empty list elements, trailing separators) and gives the
   * exact position of the problem. After a token is read, its first character tells whether it
   * was written the strict way (a string in double quotes, lowercase true/false/null, a bare key
   * that is a plain word); quoted strings are checked for raw control characters and non-JSON
   * escapes, which lenient mode accepts. Values themselves are lexed only by Gson.
   */
  static final String VALUE_KINDS =
      "a string in double quotes, a number, a set { ... }, a list [ ... ], true, false or null";

  private final SourceText text;
  private final Limits limits;
  private final TokenReader reader;

  ValueReader(SourceText text, Limits limits) {
    this.text = text;
    this.limits = limits;
    // Our own depth check runs first; Gson's limit (which also counts the braces around a record)
    // only has to stay out of the way.
    this.reader = new TokenReader(text, limits.maxDepth() + 1);
  }

  /** Reads {@code key : { ... }}; the reader sees the text wrapped in braces. */
  Record readRecord() throws RecordFormatException {
    reader.beginObject(-1); // the brace the reader sees before the text
    int keyStart = text.skipWhitespace(reader.end());
    if (text.atEnd(keyStart)) {
      throw text.error("empty record (expected: key : { ... })", keyStart);
    }
    String key = readKey(keyStart, "the record's key");
    int valueStart = afterColon("the record's key ", key);
    if (text.charAt(valueStart) != '{') {
      throw text.error("record value for " + quoted(key) + ": expected a set { ... } but found " + kindAt(valueStart),
          valueStart);
    }
    SetValue set = readSet(valueStart, 1);
    requireEnd("the record");
    reader.endObject(text.length());
    return new Record(key, set);
  }

  /** Reads a text that must be one set. */
  SetValue readTopSet() throws RecordFormatException {
    int start = text.skipWhitespace(0);
    if (text.charAt(start) != '{') {
      throw text.error("expected a set { ... } but found " + kindAt(start), start);
    }
    SetValue set = readSet(start, 1);
    requireEnd("the set");
    return set;
  }

  /** Reads a text that must be one value of any kind. */
  Value readTopValue() throws RecordFormatException {
    Value value = readValue(text.skipWhitespace(0), 1, "a value", null);
    requireEnd("the value");
    return value;
  }

  private void requireEnd(String what) throws RecordFormatException {
    int rest = text.skipWhitespace(reader.end());
    if (!text.atEnd(rest)) {
      throw text.error("trailing text after " + what + ": " + text.describe(rest)
          + " (expected: end of input)", rest);
    }
  }

  /** {@code start} is the offset of the '{', already checked. */
  private SetValue readSet(int start, int depth) throws RecordFormatException {
    checkDepth(start, depth);
    reader.beginObject(start);
    SetValue.Builder builder = SetValue.builder();
    while (true) {
      int i = text.skipWhitespace(reader.end());
      int c = text.charAt(i);
      if (c == '}') {
        reader.endObject(i);
        return builder.build();
      }
      if (builder.size() > 0) {
        if (c != ';' && c != ',') {
          throw text.error(unclosed("set", "';' or ',' between pairs, or '}'", start, i), i);
        }
        i = text.skipWhitespace(i + 1);
        if (text.charAt(i) == '}') {
          throw text.error("trailing '" + (char) c + "' before '}' (expected: a pair after each separator)", i);
        }
      } else if (text.atEnd(i)) {
        throw text.error(unclosed("set", "a key or '}'", start, i), i);
      }
      int keyStart = i;
      String key = readKey(keyStart, "a key");
      Value value = readValue(afterColon("key ", key), depth + 1, "a value for key ", key);
      if (!builder.add(key, value)) {
        throw text.error("duplicate key " + quoted(key) + " in one set (expected: each key at most once per set)",
            keyStart);
      }
    }
  }

  private ListValue readList(int start, int depth) throws RecordFormatException {
    checkDepth(start, depth);
    reader.beginArray(start);
    List<Value> items = new ArrayList<>();
    while (true) {
      int i = text.skipWhitespace(reader.end());
      int c = text.charAt(i);
      if (c == ']') {
        reader.endArray(i);
        return new ListValue(items);
      }
      if (!items.isEmpty()) {
        if (c != ',' && c != ';') {
          throw text.error(unclosed("list", "',' or ';' between items, or ']'", start, i), i);
        }
        i = text.skipWhitespace(i + 1);
      } else if (text.atEnd(i)) {
        throw text.error(unclosed("list", "an item or ']'", start, i), i);
      }
      items.add(readValue(i, depth + 1, "a list item", null));
    }
  }

  private String unclosed(String kind, String expected, int openedAt, int foundAt) {
    String opened = " the " + kind + " opened at line " + text.line(openedAt) + " column " + text.column(openedAt);
    if (text.atEnd(foundAt)) {
      return "unclosed " + kind + ": expected " + expected + " to close" + opened + " but found end of input";
    }
    return "expected " + expected + " in" + opened + " but found " + text.describe(foundAt);
  }

  private void checkDepth(int start, int depth) throws RecordFormatException {
    if (depth > limits.maxDepth()) {
      throw text.error("nesting too deep: depth " + depth + " (expected: <= " + limits.maxDepth() + ")", start);
    }
  }

  /** Reads a key (a name to Gson) starting at {@code start}. */
  private String readKey(int start, String what) throws RecordFormatException {
    int c = text.charAt(start);
    if (c == '\'') {
      throw text.error("single-quoted key (expected: " + what + " in double quotes or a plain word)", start);
    }
    if (c != '"' && !isPlainChar(c)) {
      throw text.error("expected " + what + " (a string in double quotes or a plain word of letters, digits,"
          + " '_' or '-') but found " + text.describe(start), start);
    }
    String key = reader.nextName(start);
    if (c != '"' && !RecordPrinter.isPlainWord(key)) {
      throw text.error("bare key " + quoted(key) + " is not a plain word (expected: letters, digits, '_' or '-',"
          + " or the key in double quotes)", start);
    }
    return key;
  }

  /** Checks the ':' after {@code key} (called {@code what} and the key); returns where the value starts. */
  private int afterColon(String what, String key) throws RecordFormatException {
    int i = text.skipWhitespace(reader.end());
    int c = text.charAt(i);
    if (c != ':') {
      if (c == -1 || c == '}' || c == ';' || c == ',') {
        throw text.error("missing value for " + what + quoted(key) + ": expected ':' and a value but found "
            + text.describe(i), i);
      }
      throw text.error("expected ':' after " + what + quoted(key) + " but found " + text.describe(i), i);
    }
    return text.skipWhitespace(i + 1);
  }

  /**
   * Reads the value that starts at {@code start} (whitespace already skipped); errors call it
   * {@code what}, followed by {@code key} quoted when there is one (built only for an error).
   */
  private Value readValue(int start, int depth, String what, String key) throws RecordFormatException {
    int c = text.charAt(start);
    if (c == '\'') {
      throw text.error("single-quoted string (expected: a string in double quotes)", start);
    }
    if (!mayStartValue(c)) {
      throw text.error("expected " + described(what, key) + " (" + VALUE_KINDS + ") but found "
          + text.describe(start), start);
    }
    JsonToken token = reader.peek(start);
    if (token == JsonToken.BEGIN_OBJECT) {
      return readSet(start, depth);
    }
    if (token == JsonToken.BEGIN_ARRAY) {
      return readList(start, depth);
    }
    if (token == JsonToken.STRING) {
      String s = reader.nextString(start);
      if (c == '"') {
        return new StringValue(s);
      }
      if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
        throw text.error(s + " is not a JSON number (expected: a finite number; JSON has no NaN or Infinity)", start);
      }
      throw text.error("expected " + described(what, key) + " (" + VALUE_KINDS + ") but found unquoted text "
          + quoted(s), start);
    }
    if (token == JsonToken.NUMBER) {
      reader.nextString(start);
      return number(text.substring(start, reader.end()), start);
    }
    if (token == JsonToken.BOOLEAN) {
      boolean b = reader.nextBoolean(start);
      requireLowercase(start, b ? "true" : "false");
      return BoolValue.of(b);
    }
    if (token == JsonToken.NULL) {
      reader.nextNull(start);
      requireLowercase(start, "null");
      return NullValue.INSTANCE;
    }
    throw text.error("expected " + described(what, key) + " (" + VALUE_KINDS + ") but found "
          + text.describe(start), start);
  }

  /*
   * Numbers: Gson has already checked the JSON number grammar (no leading zeros, no '+', digits
   * around '.'). A literal with '.', 'e' or 'E' is a double, rounded to the nearest one as
   * Double.parseDouble does (1e-999 is 0.0); one beyond the largest double (1e999, which
   * parseDouble makes Infinity) is an error, since JSON has no Infinity to store or print.
   * Otherwise it is a 64-bit integer, and one that does not fit is an error rather than a
   * silently rounded double.
   */
  private Value number(String literal, int start) throws RecordFormatException {
    if (literal.indexOf('.') >= 0 || literal.indexOf('e') >= 0 || literal.indexOf('E') >= 0) {
      double d = Double.parseDouble(literal);
      if (Double.isInfinite(d)) {
        throw outOfRange(literal, start);
      }
      return new DoubleValue(d);
    }
    try {
      return new IntValue(Long.parseLong(literal));
    } catch (NumberFormatException e) {
      double d = Double.parseDouble(literal);
      if (Double.isInfinite(d)) {
        throw outOfRange(literal, start);
      }
      throw text.error("integer " + literal + " out of range (expected: " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
          + ", or a float such as " + d + ")", start, e);
    }
  }

  private RecordFormatException outOfRange(String literal, int start) {
    return text.error("number " + abbreviated(literal) + " out of range (expected: a finite number, at most "
        + Double.MAX_VALUE + " in magnitude)", start);
  }

  /** A literal for a message: a 100,000-digit number is named by its start and length. */
  private static String abbreviated(String literal) {
    return literal.length() <= 40 ? literal : literal.substring(0, 20) + "... (" + literal.length() + " characters)";
  }

  private void requireLowercase(int start, String keyword) throws RecordFormatException {
    int end = reader.end();
    if (end - start != keyword.length() || !text.substring(start, end).equals(keyword)) {
      String found = end > start ? quoted(text.substring(start, end)) : text.describe(start);
      throw text.error("expected " + keyword + " in lowercase but found " + found, start);
    }
  }

  /**
   * Characters a value may start with, as far as Gson is asked to read it: quotes, brackets,
   * numbers, and words (keywords, NaN, Infinity, and the bare words reported as unquoted text).
   * Anything else is reported here, so Gson never skips something silently (a ")]}'" prefix).
   */
  private static boolean mayStartValue(int c) {
    return c == '"' || c == '{' || c == '[' || c == '-' || c == '+' || c == '.' || (c >= 0 && Character.isLetterOrDigit(c));
  }

  /** Says what kind of value starts at {@code start}, for "expected a set but found ..." messages. */
  private String kindAt(int start) {
    int c = text.charAt(start);
    if (c == '\'') {
      return "a single-quoted string";
    }
    if (!mayStartValue(c)) {
      return text.describe(start);
    }
    JsonToken t = reader.peekQuietly();
    if (t == JsonToken.STRING) {
      return c == '"' ? "a string" : "unquoted text";
    }
    if (t == JsonToken.NUMBER) {
      return "a number";
    }
    if (t == JsonToken.BOOLEAN) {
      return "a boolean";
    }
    if (t == JsonToken.NULL) {
      return "null";
    }
    if (t == JsonToken.BEGIN_ARRAY) {
      return "a list";
    }
    return text.describe(start);
  }

  private static boolean isPlainChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  private static String described(String what, String key) {
    return key == null ? what : what + quoted(key);
  }

  static String quoted(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    RecordPrinter.appendString(out, s);
    return out.toString();
  }
}
