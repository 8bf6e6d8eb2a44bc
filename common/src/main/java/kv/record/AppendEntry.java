package kv.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one APPEND stored: the path inside the key's value (segments; empty for the value itself)
 * and the element appended there. Stored and copied as the set
 * {@code { "path" : [ "a" ; "b" ] ; "value" : element }} under the append's internal name (see
 * {@link AppendKeys}), so logs, snapshots and replication treat it like any entry. Immutable.
 */
public record AppendEntry(List<String> path, Value value) {
  static final String PATH = "path";
  static final String VALUE = "value";

  public AppendEntry {
    path = List.copyOf(path);
    Objects.requireNonNull(value, "value");
  }

  /** The stored form. */
  public SetValue toSet() {
    List<Value> segments = new ArrayList<>(path.size());
    for (String segment : path) {
      segments.add(new StringValue(segment));
    }
    return SetValue.builder().put(PATH, new ListValue(segments)).put(VALUE, value).build();
  }

  /** The stored form as canonical text, as VGET and VENTRIES show it and VPUT takes it. */
  public String text() {
    return RecordPrinter.print(toSet());
  }

  /**
   * Reads the stored form back.
   *
   * @throws IllegalArgumentException naming what is missing or of the wrong type
   */
  public static AppendEntry fromSet(SetValue set) {
    Value path = set.get(PATH);
    Value value = set.get(VALUE);
    if (set.size() != 2 || !(path instanceof ListValue segments) || value == null) {
      throw new IllegalArgumentException("append entry: " + abbreviated(RecordPrinter.print(set))
          + " (expected: { \"path\" : [ segments as strings ] ; \"value\" : the element })");
    }
    List<String> strings = new ArrayList<>(segments.items().size());
    for (Value segment : segments.items()) {
      if (!(segment instanceof StringValue s)) {
        throw new IllegalArgumentException("append entry path: " + abbreviated(RecordPrinter.print(path))
            + " (expected: a list of strings)");
      }
      strings.add(s.value());
    }
    return new AppendEntry(strings, value);
  }

  private static String abbreviated(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
