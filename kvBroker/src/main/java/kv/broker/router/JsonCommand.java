package kv.broker.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.record.AppendKeys;
import kv.record.JsonEdits;
import kv.record.JsonPath;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.Value;
import kv.resp.JsonReplies;
import kv.resp.Request;

/**
 * One RedisJSON command sent to the router, parsed: JSON.SET, JSON.GET, JSON.DEL (alias
 * JSON.FORGET), JSON.ARRAPPEND, JSON.TYPE, JSON.MGET. A bad request is an
 * {@link IllegalArgumentException} whose message is the error's words. Immutable.
 */
sealed interface JsonCommand {
  /** The command words, in upper case. */
  java.util.Set<String> NAMES = java.util.Set.of("JSON.SET", "JSON.GET", "JSON.DEL", "JSON.FORGET",
      "JSON.ARRAPPEND", "JSON.TYPE", "JSON.MGET");

  /** The keys it reads or writes, for the connection's {@link KeyOrder}. */
  List<String> keys();

  /** Whether it writes its keys. */
  default boolean writes() {
    return this instanceof Set || this instanceof Del || this instanceof ArrAppend;
  }

  /** A command on one key. */
  sealed interface OnKey extends JsonCommand {
    String key();

    @Override
    default List<String> keys() {
      return List.of(key());
    }
  }

  /** {@code JSON.SET key path json [NX|XX]}. */
  record Set(String key, JsonPath path, Value value, JsonEdits.Condition when) implements OnKey {}

  /** {@code JSON.GET key [INDENT s] [NEWLINE s] [SPACE s] [path ...]}. */
  record Get(String key, JsonReplies.GetArgs args) implements OnKey {}

  /** {@code JSON.DEL key [path]}. */
  record Del(String key, JsonPath path) implements OnKey {}

  /** {@code JSON.ARRAPPEND key path json [json ...]}. */
  record ArrAppend(String key, JsonPath path, List<Value> values) implements OnKey {
    public ArrAppend {
      values = List.copyOf(values);
    }
  }

  /** {@code JSON.TYPE key [path]}. */
  record Type(String key, JsonPath path) implements OnKey {}

  /** {@code JSON.MGET key [key ...] path}. */
  record MGet(List<String> keys, JsonPath path) implements JsonCommand {
    public MGet {
      keys = List.copyOf(keys);
    }
  }

  /**
   * Parses {@code request}, whose command is one of {@link #NAMES}; JSON values are read by
   * {@code values} (JSON, or KV's record syntax, as kvServer reads them).
   */
  static JsonCommand parse(Request request, RecordParser values) {
    String name = request.command();
    int n = request.size();
    switch (name) {
      case "JSON.SET":
        arity(name, n >= 4 && n <= 5, "JSON.SET key path json [NX|XX]");
        return new Set(key(request, 1), path(request.arg(2)), value(request.arg(3), values),
            n == 5 ? JsonReplies.condition(request.arg(4)) : JsonEdits.Condition.ANY);
      case "JSON.GET":
        arity(name, n >= 2, "JSON.GET key [INDENT s] [NEWLINE s] [SPACE s] [path ...]");
        List<String> args = new ArrayList<>(n - 2);
        for (int i = 2; i < n; i++) {
          args.add(request.arg(i));
        }
        return new Get(key(request, 1), JsonReplies.GetArgs.parse(args));
      case "JSON.DEL":
      case "JSON.FORGET":
        arity(name, n >= 2 && n <= 3, name + " key [path]");
        return new Del(key(request, 1), n == 3 ? path(request.arg(2)) : JsonReplies.LEGACY_ROOT);
      case "JSON.ARRAPPEND":
        arity(name, n >= 4, "JSON.ARRAPPEND key path json [json ...]");
        List<Value> appended = new ArrayList<>(n - 3);
        for (int i = 3; i < n; i++) {
          appended.add(value(request.arg(i), values));
        }
        return new ArrAppend(key(request, 1), path(request.arg(2)), appended);
      case "JSON.TYPE":
        arity(name, n >= 2 && n <= 3, "JSON.TYPE key [path]");
        return new Type(key(request, 1), n == 3 ? path(request.arg(2)) : JsonReplies.LEGACY_ROOT);
      case "JSON.MGET":
        arity(name, n >= 3, "JSON.MGET key [key ...] path");
        List<String> keys = new ArrayList<>(n - 2);
        for (int i = 1; i < n - 1; i++) {
          keys.add(key(request, i));
        }
        return new MGet(keys, path(request.arg(n - 1)));
      default:
        throw new IllegalArgumentException("not a JSON command: " + name);
    }
  }

  private static void arity(String name, boolean ok, String usage) {
    if (!ok) {
      throw new IllegalArgumentException("wrong number of arguments for '" + name.toLowerCase(Locale.ROOT)
          + "' command (expected: " + usage + ")");
    }
  }

  /* As every broker command: a key holding U+0000 is refused (KV names appends with it). */
  private static String key(Request request, int i) {
    String key = request.arg(i);
    int at = key.indexOf(AppendKeys.SEPARATOR);
    if (at >= 0) {
      throw new IllegalArgumentException("key: U+0000 at character " + (at + 1)
          + " (expected: a key without the NUL character, which KV reserves for the names of appends)");
    }
    return key;
  }

  private static JsonPath path(String text) {
    return JsonPath.parse(text);
  }

  private static Value value(String text, RecordParser values) {
    try {
      return values.parseValue(text);
    } catch (RecordFormatException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
    }
  }
}
