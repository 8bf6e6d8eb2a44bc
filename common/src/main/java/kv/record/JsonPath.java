package kv.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A RedisJSON path of the simple kind KV supports: the root ({@code $} or the legacy {@code .}),
 * then member names ({@code .name} or {@code ["name"]}) and array indices ({@code [0]}, {@code [-1]}
 * from the end). A path starting with {@code $} is a JSONPath (its commands answer a list of
 * matches); any other is a legacy path ({@code .a.b}, {@code a.b}; one value). Immutable.
 */
public record JsonPath(String text, boolean legacy, List<Step> steps) {
  /*
   * Grammar: ('$' | '.' | '') then steps; a step is '.' name, '[' integer ']' or '[' quoted name ']'
   * (double or single quotes, backslash escapes); a legacy path may start with a bare name. A name
   * is letters, digits, '_', '-', '$', '@' and any non-ASCII character. Wildcards (*), recursive
   * descent (..), filters ([?(...)]), slices and unions are refused as unsupported: each of them
   * can match several values, which KV's writes (one versioned value per key) do not do.
   */
  /** One step down a path. */
  public sealed interface Step permits Member, Index {}

  /** An object member by name. */
  public record Member(String name) implements Step {}

  /** An array element; negative counts from the end (-1 is the last). */
  public record Index(int index) implements Step {}

  public JsonPath {
    Objects.requireNonNull(text, "text");
    steps = List.copyOf(steps);
  }

  /** The root. */
  public boolean isRoot() {
    return steps.isEmpty();
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the path, the position and what is supported
   */
  public static JsonPath parse(String text) {
    Objects.requireNonNull(text, "text");
    boolean legacy = !(text.equals("$") || text.startsWith("$.") || text.startsWith("$["));
    int i = legacy ? 0 : 1;
    List<Step> steps = new ArrayList<>();
    if (legacy && text.equals(".")) {
      return new JsonPath(text, true, steps);
    }
    if (legacy && !text.isEmpty() && text.charAt(0) != '.' && text.charAt(0) != '[') {
      i = readName(text, 0, steps);
    }
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '.') {
          throw unsupported(text, i, "recursive descent '..'");
        }
        i = readName(text, i + 1, steps);
      } else if (c == '[') {
        i = readBracket(text, i + 1, steps);
      } else {
        throw unsupported(text, i, "'" + c + "'");
      }
    }
    if (legacy && text.isEmpty()) {
      throw new IllegalArgumentException("path: '' (expected: $, $.a.b, $.a[0] or a legacy path such as . or .a.b)");
    }
    return new JsonPath(text, legacy, steps);
  }

  private static int readName(String text, int from, List<Step> steps) {
    int i = from;
    while (i < text.length() && isNameChar(text.charAt(i))) {
      i++;
    }
    if (i == from) {
      if (i < text.length() && text.charAt(i) == '*') {
        throw unsupported(text, i, "the wildcard '*'");
      }
      throw unsupported(text, i, i == text.length() ? "the end of the path after '.'"
          : "'" + text.charAt(i) + "' where a member name was expected");
    }
    steps.add(new Member(text.substring(from, i)));
    return i;
  }

  private static int readBracket(String text, int from, List<Step> steps) {
    if (from >= text.length()) {
      throw unsupported(text, from, "an unclosed '['");
    }
    char c = text.charAt(from);
    if (c == '"' || c == '\'') {
      StringBuilder name = new StringBuilder();
      int i = from + 1;
      while (i < text.length() && text.charAt(i) != c) {
        if (text.charAt(i) == '\\' && i + 1 < text.length()) {
          i++;
        }
        name.append(text.charAt(i++));
      }
      if (i + 1 >= text.length() || text.charAt(i + 1) != ']') {
        throw unsupported(text, from - 1, "an unclosed quoted member name");
      }
      steps.add(new Member(name.toString()));
      return i + 2;
    }
    int i = from;
    if (c == '-') {
      i++;
    }
    int digits = i;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    if (i == digits || i >= text.length() || text.charAt(i) != ']' || i - digits > 9) {
      throw unsupported(text, from - 1, c == '*' ? "the wildcard [*]" : c == '?' ? "a filter [?(...)]"
          : "this selector (only [n], [-n] and [\"name\"] are)");
    }
    steps.add(new Index(Integer.parseInt(text, from, i, 10)));
    return i + 1;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c == '$' || c == '@' || c >= 0x80;
  }

  private static IllegalArgumentException unsupported(String text, int at, String what) {
    String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return new IllegalArgumentException("unsupported path '" + shown + "': " + what + " at offset " + at
        + " (expected: $, $.a.b, $.a[0], $[\"a b\"] or a legacy path such as . or .a.b; wildcards, '..', filters"
        + " and slices are not supported)");
  }

  /** The value this path names in {@code root}, or null when there is none. */
  public Value resolve(Value root) {
    Value current = root;
    for (Step step : steps) {
      current = child(current, step);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** The value one step below {@code node}, or null. */
  static Value child(Value node, Step step) {
    if (step instanceof Member m) {
      return node instanceof SetValue set ? set.get(m.name()) : null;
    }
    if (node instanceof ListValue list) {
      int at = index(list, ((Index) step).index());
      return at < 0 ? null : list.items().get(at);
    }
    return null;
  }

  /** {@code index} (negative from the end) as a position in {@code list}, or -1 when out of range. */
  static int index(ListValue list, int index) {
    int at = index < 0 ? list.items().size() + index : index;
    return at >= 0 && at < list.items().size() ? at : -1;
  }

  /**
   * The KV path segments of this path's steps in {@code root} (an index as its non-negative
   * decimal position), or null when a step does not resolve: what APPEND entries store.
   */
  public List<String> segments(Value root) {
    List<String> out = new ArrayList<>(steps.size());
    Value current = root;
    for (Step step : steps) {
      if (step instanceof Member m) {
        out.add(m.name());
      } else if (current instanceof ListValue list) {
        int at = index(list, ((Index) step).index());
        if (at < 0) {
          return null;
        }
        out.add(Integer.toString(at));
      } else {
        return null;
      }
      current = child(current, step);
      if (current == null) {
        return null;
      }
    }
    return out;
  }
}
