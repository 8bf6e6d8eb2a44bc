package kv.record;

import java.util.List;
import java.util.Map;

/**
 * Prints values as standard JSON, as RedisJSON's JSON.GET does: compact by default
 * ({@code {"a":[1,2]}}), or with JSON.GET's INDENT, NEWLINE and SPACE strings. Keys in written
 * order, strings with JSON escapes, numbers as {@link RecordPrinter} prints them. Stateless and
 * thread-safe.
 */
public final class JsonPrinter {
  /** JSON.GET's formatting strings; empty strings print compact JSON. */
  public record Format(String indent, String newline, String space) {
    public static final Format COMPACT = new Format("", "", "");
  }

  private JsonPrinter() {}

  public static String print(Value value) {
    return print(value, Format.COMPACT);
  }

  public static String print(Value value, Format format) {
    StringBuilder out = new StringBuilder(64);
    append(out, value, format, 0);
    return out.toString();
  }

  /** Appends {@code value} at nesting {@code level} (0 at the top). */
  public static void append(StringBuilder out, Value value, Format format, int level) {
    if (value instanceof SetValue set) {
      List<Map.Entry<String, Value>> entries = set.entries();
      out.append('{');
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        newLine(out, format, level + 1);
        RecordPrinter.appendString(out, entries.get(i).getKey());
        out.append(':').append(format.space());
        append(out, entries.get(i).getValue(), format, level + 1);
      }
      if (!entries.isEmpty()) {
        newLine(out, format, level);
      }
      out.append('}');
    } else if (value instanceof ListValue list) {
      out.append('[');
      for (int i = 0; i < list.items().size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        newLine(out, format, level + 1);
        append(out, list.items().get(i), format, level + 1);
      }
      if (!list.items().isEmpty()) {
        newLine(out, format, level);
      }
      out.append(']');
    } else {
      RecordPrinter.appendValue(out, value);
    }
  }

  private static void newLine(StringBuilder out, Format format, int level) {
    out.append(format.newline());
    if (!format.indent().isEmpty()) {
      for (int i = 0; i < level; i++) {
        out.append(format.indent());
      }
    }
  }
}
