package kv.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.record.AppendRefusal;
import kv.record.JsonEdits;
import kv.record.JsonPath;
import kv.record.JsonPrinter;
import kv.record.ListValue;
import kv.record.SetValue;
import kv.record.Value;
import kv.record.ValueTypes;

/**
 * RedisJSON's arguments and replies over a value already read, shared by kvServer and the broker's
 * router so both answer JSON.SET, JSON.GET, JSON.TYPE, JSON.MGET and JSON.ARRAPPEND alike. A bad
 * argument or a refusal is an {@link IllegalArgumentException} whose message is the error's words.
 * Stateless.
 */
public final class JsonReplies {
  /*
   * Replies as RedisJSON's (checked against its documentation and source): a path starting with
   * '$' answers a list of matches (JSON array text, or a RESP array), any other path (legacy: '.',
   * '.a.b', 'a.b') one value; no path is the legacy root; a missing legacy path is an error
   * ("Path ... does not exist"), a missing $-path an empty list, a missing key null. RESP3 changes
   * only JSON.TYPE (wrapped in one more array), as in RedisJSON with its default FORMAT STRING.
   */
  /** No path: the legacy root. */
  public static final JsonPath LEGACY_ROOT = JsonPath.parse(".");

  private JsonReplies() {}

  /** JSON.GET's arguments after the key: the paths and the INDENT/NEWLINE/SPACE formatting. */
  public record GetArgs(List<JsonPath> paths, JsonPrinter.Format format) {
    public GetArgs {
      paths = List.copyOf(paths);
    }

    /** Reads {@code args} (after the key); NOESCAPE is ignored, FORMAT refused. */
    public static GetArgs parse(List<String> args) {
      String indent = "";
      String newline = "";
      String space = "";
      List<JsonPath> paths = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        String word = arg.toUpperCase(Locale.ROOT);
        boolean option = word.equals("INDENT") || word.equals("NEWLINE") || word.equals("SPACE");
        if (option && i + 1 < args.size()) {
          String text = args.get(++i);
          indent = word.equals("INDENT") ? text : indent;
          newline = word.equals("NEWLINE") ? text : newline;
          space = word.equals("SPACE") ? text : space;
        } else if (word.equals("FORMAT")) {
          throw new IllegalArgumentException("JSON.GET FORMAT is not supported (expected: JSON text, the default)");
        } else if (!word.equals("NOESCAPE")) {
          paths.add(JsonPath.parse(arg));
        }
      }
      return new GetArgs(paths, new JsonPrinter.Format(indent, newline, space));
    }
  }

  /** JSON.SET's optional last argument: NX or XX. */
  public static JsonEdits.Condition condition(String word) {
    String upper = word.toUpperCase(Locale.ROOT);
    if (!upper.equals("NX") && !upper.equals("XX")) {
      throw new IllegalArgumentException("JSON.SET option: '" + AppendRefusal.quote(word) + "' (expected: NX or XX)");
    }
    return JsonEdits.Condition.valueOf(upper);
  }

  /**
   * What JSON.SET stores at {@code key} whose value is {@code current} (null: absent): the new
   * whole value, or null when nothing is stored (the reply is then null: NX/XX not met, or the
   * path's parent missing).
   *
   * @throws IllegalArgumentException for a missing key with a path below the root, or an index
   *     outside its array
   */
  public static Value set(String key, Value current, JsonPath path, Value value, JsonEdits.Condition when) {
    if (path.isRoot()) {
      boolean met = !(when == JsonEdits.Condition.NX && current != null) && !(when == JsonEdits.Condition.XX && current == null);
      return met ? value : null;
    }
    if (current == null) {
      if (when == JsonEdits.Condition.XX) {
        return null;
      }
      throw new IllegalArgumentException("new objects must be created at the root: key '" + AppendRefusal.quote(key)
          + "' does not exist (expected: JSON.SET " + AppendRefusal.quote(key) + " $ json first)");
    }
    return JsonEdits.set(current, path, value, when);
  }

  /** JSON.GET's reply for {@code value} (null: the key is absent). */
  public static Resp get(Value value, GetArgs args) {
    if (value == null) {
      return Resp.NullBulk.INSTANCE;
    }
    List<JsonPath> paths = args.paths();
    if (paths.size() <= 1) {
      JsonPath path = paths.isEmpty() ? LEGACY_ROOT : paths.get(0);
      return Resp.Bulk.of(JsonPrinter.print(at(value, path), args.format()));
    }
    boolean legacy = paths.stream().allMatch(JsonPath::legacy);
    SetValue.Builder object = SetValue.builder();
    for (JsonPath path : paths) {
      object.add(path.text(), legacy ? at(value, path) : matches(value, path));
    }
    return Resp.Bulk.of(JsonPrinter.print(object.build(), args.format()));
  }

  /** JSON.TYPE's reply for {@code value} (null: absent), in {@code protocol}. */
  public static Resp type(Value value, JsonPath path, Protocol protocol) {
    Resp reply;
    if (value == null) {
      reply = Resp.NullBulk.INSTANCE;
    } else {
      Value at = path.resolve(value);
      if (path.legacy()) {
        reply = at == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(ValueTypes.jsonName(at));
      } else {
        reply = new Resp.Array(at == null ? List.of() : List.of(Resp.Bulk.of(ValueTypes.jsonName(at))));
      }
    }
    return protocol == Protocol.RESP3 ? new Resp.Array(List.of(reply)) : reply;
  }

  /** One key's item of JSON.MGET's reply (value null: absent). */
  public static Resp mgetItem(Value value, JsonPath path) {
    Value at = value == null ? null : path.legacy() ? path.resolve(value) : matches(value, path);
    return at == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(JsonPrinter.print(at));
  }

  /**
   * Whether JSON.ARRAPPEND at {@code path} of {@code key} (value {@code current}, null: absent)
   * may go on: null when the value there is an array, else the reply ({@code []} or {@code [null]}
   * for a $-path, as RedisJSON).
   *
   * @throws IllegalArgumentException for a missing key, or a legacy path to no array
   */
  public static Resp arrAppendRefusal(String key, Value current, JsonPath path) {
    if (current == null) {
      throw new IllegalArgumentException("JSON.ARRAPPEND: key '" + AppendRefusal.quote(key) + "' does not exist (expected: an"
          + " existing key; JSON.SET key $ '[]' creates one)");
    }
    Value target = path.resolve(current);
    if (target instanceof ListValue) {
      return null;
    }
    if (path.legacy()) {
      throw new IllegalArgumentException("JSON.ARRAPPEND: path '" + AppendRefusal.quote(path.text()) + "' does not exist or is not"
          + " an array (" + (target == null ? "nothing there" : "it holds " + ValueTypes.describe(target)) + ")");
    }
    return new Resp.Array(target == null ? List.of() : List.of(Resp.NullBulk.INSTANCE));
  }

  /** JSON.ARRAPPEND's reply: the array's new length, in a list for a $-path. */
  public static Resp arrAppendLength(JsonPath path, long length) {
    Resp reply = new Resp.Int(length);
    return path.legacy() ? reply : new Resp.Array(List.of(reply));
  }

  /* A legacy path's value; a missing one is an error, as in RedisJSON. */
  private static Value at(Value value, JsonPath path) {
    if (!path.legacy()) {
      return matches(value, path);
    }
    Value at = path.resolve(value);
    if (at == null) {
      throw new IllegalArgumentException("Path '" + AppendRefusal.quote(path.text()) + "' does not exist");
    }
    return at;
  }

  /* A $-path's matches as a JSON array: [] or [value]. */
  private static Value matches(Value value, JsonPath path) {
    Value at = path.resolve(value);
    return new ListValue(at == null ? List.of() : List.of(at));
  }
}
