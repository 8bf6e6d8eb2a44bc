package kv.record;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path into a record: the top-level key then zero or more segments, as in
 * {@code person2.address.number}, {@code key."a.b"} or {@code key.tags.0}. Segments that hold
 * dots, spaces or quotes are quoted with JSON escapes. Immutable.
 */
public record Path(String key, List<String> segments) {
  /*
   * Grammar: segment ('.' segment)*, where a segment is either bare — a plain word of ASCII
   * letters, digits, '_' and '-', the same words a record accepts as bare keys — or a JSON string
   * in double quotes (read by Gson's JsonReader in strict mode, so escapes are JSON's). Nothing
   * else: no whitespace around dots, no empty segments. A segment that is a decimal number
   * without leading zeros also addresses a list element when the value there is a list.
   */
  public Path {
    Objects.requireNonNull(key, "key");
    segments = List.copyOf(segments);
  }

  /** Parses path text; the error names the position and what was expected. */
  public static Path parse(String text) throws RecordFormatException {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new RecordFormatException("empty path (expected: key or key.field...)", 1, 1);
    }
    List<String> parts = segments(text, 0);
    return new Path(parts.get(0), parts.subList(1, parts.size()));
  }

  /**
   * Parses a path relative to a key, as the replication form VAPPEND takes it: {@code .} for the
   * key itself, else {@code .a.b."c d".0} (a path without its key).
   */
  public static List<String> parseRelative(String text) throws RecordFormatException {
    Objects.requireNonNull(text, "text");
    if (text.equals(".")) {
      return List.of();
    }
    if (!text.startsWith(".")) {
      throw new RecordFormatException("relative path '" + text + "' does not start with '.' (expected: . for the key"
          + " itself, or .field.field...)", 1, 1);
    }
    return List.copyOf(segments(text, 1));
  }

  /** The text {@link #parseRelative} reads back as {@code segments}. */
  public static String relativeText(List<String> segments) {
    if (segments.isEmpty()) {
      return ".";
    }
    StringBuilder out = new StringBuilder(16 * segments.size());
    for (String segment : segments) {
      out.append('.').append(RecordPrinter.printKey(segment));
    }
    return out.toString();
  }

  /** The segments of {@code text} from offset {@code from} on (at least one). */
  private static List<String> segments(String text, int from) throws RecordFormatException {
    List<String> parts = new ArrayList<>();
    int i = from;
    int n = text.length();
    while (true) {
      if (i < n && text.charAt(i) == '"') {
        i = readQuoted(text, i, parts);
      } else {
        int j = i;
        while (j < n && text.charAt(j) != '.') {
          char c = text.charAt(j);
          if (!isPlainChar(c)) {
            throw error("unexpected " + SourceText.describeChar(c) + " in path segment (expected: letters, digits,"
                + " '_' or '-', or the whole segment in double quotes, as in key.\"a b\")", j);
          }
          j++;
        }
        if (j == i) {
          throw error(j == n ? "empty segment at end of path (expected: a key after the last '.')"
              : "empty segment in path (expected: a key before '.')", j);
        }
        parts.add(text.substring(i, j));
        i = j;
      }
      if (i == n) {
        break;
      }
      if (text.charAt(i) != '.') {
        throw error("expected '.' or end of path after a quoted segment but found "
            + SourceText.describeChar(text.charAt(i)), i);
      }
      i++;
    }
    return parts;
  }

  /** Reads the quoted segment starting at {@code start}; returns the offset after its closing quote. */
  private static int readQuoted(String text, int start, List<String> parts) throws RecordFormatException {
    SourceText rest = SourceText.plain(text.substring(start));
    JsonReader reader = new JsonReader(rest.reader());
    reader.setStrictness(Strictness.STRICT);
    try {
      parts.add(reader.nextString());
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      int at = Math.max(0, rest.offsetOfLocation(message));
      if (message.startsWith("Unterminated string") || at >= rest.length()) {
        throw new RecordFormatException("unterminated quoted segment in path (expected: a closing '\"')",
            1, start + 1, e);
      }
      if (message.contains("control")) {
        int control = 0;
        while (control < rest.length() && rest.charAt(control) >= 0x20) {
          control++;
        }
        throw new RecordFormatException("control character in a quoted path segment (expected: an escape such as"
            + " \\n)", 1, start + control + 1, e);
      }
      int backslash = Math.min(at, rest.length() - 1);
      while (backslash > 0 && rest.charAt(backslash) != '\\') {
        backslash--;
      }
      throw new RecordFormatException("invalid escape sequence in a quoted path segment (expected: \\\" \\\\ \\/"
          + " \\b \\f \\n \\r \\t or \\u and four hex digits)", 1, start + backslash + 1, e);
    }
    return start + rest.offsetOfLocation(reader.toString());
  }

  private static RecordFormatException error(String problem, int offset) {
    return new RecordFormatException(problem, 1, offset + 1);
  }

  private static boolean isPlainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  /**
   * Walks the segments from {@code root} (the key's value: a record's set, or any value); a list
   * element is addressed by its index. Returns {@code null} when any step is absent.
   */
  public Value resolve(Value root) {
    Value current = Objects.requireNonNull(root, "root");
    for (String segment : segments) {
      if (current instanceof SetValue set) {
        current = set.get(segment);
      } else if (current instanceof ListValue list) {
        int index = listIndex(segment);
        current = index >= 0 && index < list.items().size() ? list.items().get(index) : null;
      } else {
        return null;
      }
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** The index a segment names: a decimal number without sign or leading zeros, else -1. */
  public static int listIndex(String segment) {
    int n = segment.length();
    if (n == 0 || n > 9 || (n > 1 && segment.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < n; i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Canonical text, parseable by {@link #parse}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(key.length() + 16 * segments.size());
    out.append(RecordPrinter.printKey(key));
    for (String segment : segments) {
      out.append('.').append(RecordPrinter.printKey(segment));
    }
    return out.toString();
  }
}
