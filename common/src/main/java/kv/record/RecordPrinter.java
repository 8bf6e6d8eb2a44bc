package kv.record;

import java.util.List;
import java.util.Map;

/**
 * The one canonical printer (SPEC.md §2): top-level key bare when it is a plain word and quoted
 * otherwise, keys and strings quoted with JSON escapes, {@code " ; "} between pairs and between
 * list elements, one space inside braces and brackets, {@code {}} and {@code []} when empty, keys in
 * the order they were written. Doubles print so
 * that they parse back to the same double (NaN and infinities, which JSON lacks, as null).
 * Stateless and thread-safe.
 */
public final class RecordPrinter {
  private RecordPrinter() {}

  public static String print(Record record) {
    StringBuilder out = new StringBuilder(record.key().length() + 5 + capacityFor(record.value()));
    appendTopKey(out, record.key());
    out.append(" : ");
    appendValue(out, record.value());
    return out.toString();
  }

  public static String print(Value value) {
    StringBuilder out = new StringBuilder(capacityFor(value));
    appendValue(out, value);
    return out.toString();
  }

  /*
   * A first capacity that fits the printed text of most values, so that printing a record (every
   * GET and VGET) does not copy its builder three or four times while growing from a default
   * size: a set prints to about 1.3-1.6x its packed bytes (quotes, " : " and " ; " around every
   * pair, against a length byte and a tag), so twice that is rarely exceeded and never far.
   */
  private static int capacityFor(Value value) {
    return value instanceof SetValue set ? 2 * set.packedLength() + 16 : 32;
  }

  /** A top-level key as printed: bare when a plain word (letters, digits, _ and -), else quoted. */
  public static String printKey(String key) {
    StringBuilder out = new StringBuilder(key.length() + 2);
    appendTopKey(out, key);
    return out.toString();
  }

  /** True when {@code key} is a non-empty run of ASCII letters, digits, '_' and '-'. */
  public static boolean isPlainWord(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  private static void appendTopKey(StringBuilder out, String key) {
    if (isPlainWord(key)) {
      out.append(key);
    } else {
      appendString(out, key);
    }
  }

  static void appendValue(StringBuilder out, Value value) {
    // Java 17 has no pattern switch; the chain covers every permitted type of the sealed interface.
    if (value instanceof SetValue set) {
      appendSet(out, set);
    } else if (value instanceof StringValue s) {
      appendString(out, s.value());
    } else if (value instanceof IntValue i) {
      out.append(i.value());
    } else if (value instanceof DoubleValue d) {
      appendDouble(out, d.value());
    } else if (value instanceof BoolValue b) {
      out.append(b.value());
    } else if (value instanceof ListValue l) {
      appendList(out, l.items());
    } else {
      out.append("null");
    }
  }

  private static void appendSet(StringBuilder out, SetValue set) {
    if (set.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append("{ ");
    boolean first = true;
    for (Map.Entry<String, Value> e : set.entries()) {
      if (!first) {
        out.append(" ; ");
      }
      first = false;
      appendString(out, e.getKey());
      out.append(" : ");
      appendValue(out, e.getValue());
    }
    out.append(" }");
  }

  private static void appendList(StringBuilder out, List<Value> items) {
    if (items.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append("[ ");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(" ; ");
      }
      appendValue(out, items.get(i));
    }
    out.append(" ]");
  }

  private static void appendDouble(StringBuilder out, double d) {
    // Double.toString is the shortest text that reads back to the same double; it always has
    // a '.' or an 'E', so the reader never mistakes it for an integer. JSON has no NaN or
    // Infinity and the reader refuses them, but a value from an older server's log may hold
    // one: it prints as null, as JavaScript's JSON.stringify does, never as a non-JSON number.
    if (Double.isFinite(d)) {
      out.append(Double.toString(d));
    } else {
      out.append("null");
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i)); // a valid pair: one character outside the BMP, kept as is
          } else if (Character.isSurrogate(c)) {
            // A lone surrogate has no UTF-8 encoding (it would become '?' on the wire); escaped,
            // the text stays ASCII here and the parser reads the same char back.
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
