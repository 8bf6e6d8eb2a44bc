package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.record.JsonEdits;
import kv.record.JsonPath;
import kv.record.JsonPrinter;
import kv.record.ListValue;
import kv.record.SetValue;
import kv.record.Value;
import kv.record.ValueTypes;
import kv.resp.Protocol;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * RedisJSON's commands over the store, with RedisJSON's replies, so redis-py's {@code r.json()}
 * and Jedis' JSON methods work: JSON.SET, JSON.GET, JSON.DEL (alias JSON.FORGET),
 * JSON.ARRAPPEND, JSON.TYPE, JSON.MGET. Writes are versioned by the server's clock like PUT,
 * DELETE and APPEND. Thread-safe (stateless over a thread-safe store).
 */
final class JsonCommands {
  /*
   * Mapping onto KV's writes, each under the key's lock (Store.locked), so a read-modify-write is
   * atomic on this server:
   *  - JSON.SET key $ json: a PUT of any value; NX/XX decide on the key's existence.
   *  - JSON.SET key path json, JSON.DEL key path: the key's value is read (appends merged), edited
   *    (JsonEdits) and PUT whole with a new version: it supersedes the appends it includes.
   *  - JSON.DEL key [$ | .]: a DELETE.
   *  - JSON.ARRAPPEND key path json...: one APPEND per value (entries of their own), so concurrent
   *    ARRAPPENDs through different brokers converge like APPENDs.
   * Replies as RedisJSON's (checked against its documentation and source): a path starting with
   * '$' answers a list of matches (JSON array text, or a RESP array), any other path (legacy: '.',
   * '.a.b', 'a.b') one value; no path is the legacy root; a missing legacy path is an error
   * ("Path ... does not exist"), a missing $-path an empty list, a missing key null. RESP3 changes
   * only JSON.TYPE (wrapped in one more array), as in RedisJSON with its default FORMAT STRING.
   * Differences: only simple paths (JsonPath: no wildcards, '..', filters); JSON.DEL of an object's
   * last member leaves {} rather than deleting the key; JSON.GET's FORMAT option is refused.
   */
  private static final JsonPath LEGACY_ROOT = JsonPath.parse(".");

  private final Store store;
  private final DataCommands data;

  JsonCommands(Store store, DataCommands data) {
    this.store = store;
    this.data = data;
  }

  void register(CommandTable table) {
    table.add("JSON.SET", 3, 4, "JSON.SET key path json [NX|XX]", this::set)
        .add("JSON.GET", 1, CommandTable.MANY, "JSON.GET key [INDENT s] [NEWLINE s] [SPACE s] [path ...]", this::get)
        .add("JSON.DEL", 1, 2, "JSON.DEL key [path]", this::del)
        .alias("JSON.FORGET", "JSON.DEL")
        .add("JSON.ARRAPPEND", 3, CommandTable.MANY, "JSON.ARRAPPEND key path json [json ...]", this::arrAppend)
        .add("JSON.TYPE", 1, 2, "JSON.TYPE key [path]", this::type)
        .add("JSON.MGET", 2, CommandTable.MANY, "JSON.MGET key [key ...] path", this::mget)
        .route("JSON.SET", CommandTable.Route.WRITE, CommandTable.FIRST, false)
        .route("JSON.DEL", CommandTable.Route.WRITE, CommandTable.FIRST, false)
        .route("JSON.FORGET", CommandTable.Route.WRITE, CommandTable.FIRST, false)
        .route("JSON.ARRAPPEND", CommandTable.Route.WRITE, CommandTable.FIRST, false)
        .route("JSON.GET", CommandTable.Route.READ, CommandTable.FIRST, false)
        .route("JSON.TYPE", CommandTable.Route.READ, CommandTable.FIRST, false)
        // the keys, not the path: strong mode reads each key in its group (StrongCommands.mget)
        .route("JSON.MGET", CommandTable.Route.READ, r -> CommandTable.ALL.keys(r).subList(0, r.size() - 2), false);
  }

  private Resp set(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    JsonPath path = path(request.arg(2));
    Value value = json(request.arg(3));
    JsonEdits.Condition condition = JsonEdits.Condition.ANY;
    if (request.size() == 5) {
      String word = request.arg(4).toUpperCase(Locale.ROOT);
      if (!word.equals("NX") && !word.equals("XX")) {
        throw new CommandException("JSON.SET option: '" + Replies.quote(request.arg(4)) + "' (expected: NX or XX)");
      }
      condition = JsonEdits.Condition.valueOf(word);
    }
    JsonEdits.Condition when = condition;
    return store.locked(key, () -> {
      Value current = store.get(key);
      if (path.isRoot()) {
        if ((when == JsonEdits.Condition.NX && current != null) || (when == JsonEdits.Condition.XX && current == null)) {
          return Resp.NullBulk.INSTANCE;
        }
        store.put(key, value);
        return Resp.OK;
      }
      if (current == null) {
        if (when == JsonEdits.Condition.XX) {
          return Resp.NullBulk.INSTANCE;
        }
        throw new CommandException("new objects must be created at the root: key '" + Replies.quote(key)
            + "' does not exist (expected: JSON.SET " + Replies.quote(key) + " $ json first)");
      }
      Value updated;
      try {
        updated = JsonEdits.set(current, path, value, when);
      } catch (IllegalArgumentException e) {
        throw new CommandException(e.getMessage(), e);
      }
      if (updated == null) {
        return Resp.NullBulk.INSTANCE;
      }
      checkDepth(key, updated);
      store.put(key, updated);
      return Resp.OK;
    });
  }

  private Resp get(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    String indent = "";
    String newline = "";
    String space = "";
    List<JsonPath> paths = new ArrayList<>();
    for (int i = 2; i < request.size(); i++) {
      String arg = request.arg(i);
      String word = arg.toUpperCase(Locale.ROOT);
      boolean option = word.equals("INDENT") || word.equals("NEWLINE") || word.equals("SPACE");
      if (option && i + 1 < request.size()) {
        String text = request.arg(++i);
        indent = word.equals("INDENT") ? text : indent;
        newline = word.equals("NEWLINE") ? text : newline;
        space = word.equals("SPACE") ? text : space;
      } else if (word.equals("FORMAT")) {
        throw new CommandException("JSON.GET FORMAT is not supported (expected: JSON text, the default)");
      } else if (!word.equals("NOESCAPE")) {
        paths.add(path(arg));
      }
    }
    Value value = store.get(key);
    if (value == null) {
      return Resp.NullBulk.INSTANCE;
    }
    JsonPrinter.Format format = new JsonPrinter.Format(indent, newline, space);
    if (paths.size() <= 1) {
      JsonPath path = paths.isEmpty() ? LEGACY_ROOT : paths.get(0);
      return Replies.bulk(JsonPrinter.print(at(value, path), format));
    }
    boolean legacy = paths.stream().allMatch(JsonPath::legacy);
    SetValue.Builder object = SetValue.builder();
    for (JsonPath path : paths) {
      object.add(path.text(), legacy ? at(value, path) : matches(value, path));
    }
    return Replies.bulk(JsonPrinter.print(object.build(), format));
  }

  private Resp del(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    JsonPath path = request.size() > 2 ? path(request.arg(2)) : LEGACY_ROOT;
    return store.locked(key, () -> {
      Value current = store.get(key);
      if (current == null) {
        return new Resp.Int(0);
      }
      if (path.isRoot()) {
        return new Resp.Int(store.delete(key) ? 1 : 0);
      }
      Value updated = JsonEdits.delete(current, path);
      if (updated == null) {
        return new Resp.Int(0);
      }
      store.put(key, updated);
      return new Resp.Int(1);
    });
  }

  private Resp arrAppend(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    JsonPath path = path(request.arg(2));
    List<Value> values = new ArrayList<>(request.size() - 3);
    for (int i = 3; i < request.size(); i++) {
      values.add(json(request.arg(i)));
    }
    return store.locked(key, () -> {
      Value current = store.get(key);
      if (current == null) {
        throw new CommandException("JSON.ARRAPPEND: key '" + Replies.quote(key) + "' does not exist (expected: an"
            + " existing key; JSON.SET key $ '[]' creates one)");
      }
      Value target = path.resolve(current);
      if (!(target instanceof ListValue list)) {
        if (path.legacy()) {
          throw new CommandException("JSON.ARRAPPEND: path '" + Replies.quote(path.text()) + "' does not exist or is not"
              + " an array (" + (target == null ? "nothing there" : "it holds " + ValueTypes.describe(target)) + ")");
        }
        return new Resp.Array(target == null ? List.of() : List.of(Resp.NullBulk.INSTANCE));
      }
      List<String> segments = path.segments(current);
      for (Value value : values) {
        ValueCommands.checkDepth("JSON.ARRAPPEND " + key + " " + path.text(), segments.size(), value,
            data.parser().limits().maxDepth());
      }
      for (Value value : values) {
        store.append(key, segments, value);
      }
      Resp length = new Resp.Int(list.items().size() + (long) values.size());
      return path.legacy() ? length : new Resp.Array(List.of(length));
    });
  }

  private Resp type(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    JsonPath path = request.size() > 2 ? path(request.arg(2)) : LEGACY_ROOT;
    Value value = store.get(key);
    Resp reply;
    if (value == null) {
      reply = Resp.NullBulk.INSTANCE;
    } else {
      Value at = path.resolve(value);
      if (path.legacy()) {
        reply = at == null ? Resp.NullBulk.INSTANCE : Replies.bulk(ValueTypes.jsonName(at));
      } else {
        reply = new Resp.Array(at == null ? List.of() : List.of(Replies.bulk(ValueTypes.jsonName(at))));
      }
    }
    return session.client().protocol() == Protocol.RESP3 ? new Resp.Array(List.of(reply)) : reply;
  }

  private Resp mget(Request request, Session session) {
    JsonPath path = path(request.arg(request.size() - 1));
    List<Resp> replies = new ArrayList<>(request.size() - 2);
    for (int i = 1; i < request.size() - 1; i++) {
      Value value = store.get(Replies.userKey(request.arg(i)));
      Value at = value == null ? null : path.legacy() ? path.resolve(value) : matches(value, path);
      replies.add(at == null ? Resp.NullBulk.INSTANCE : Replies.bulk(JsonPrinter.print(at)));
    }
    return new Resp.Array(replies);
  }

  /* A legacy path's value; a missing one is an error, as in RedisJSON. */
  private static Value at(Value value, JsonPath path) {
    if (!path.legacy()) {
      return matches(value, path);
    }
    Value at = path.resolve(value);
    if (at == null) {
      throw new CommandException("Path '" + Replies.quote(path.text()) + "' does not exist");
    }
    return at;
  }

  /* A $-path's matches as a JSON array: [] or [value]. */
  private static Value matches(Value value, JsonPath path) {
    Value at = path.resolve(value);
    return new ListValue(at == null ? List.of() : List.of(at));
  }

  private static JsonPath path(String text) {
    try {
      return JsonPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
  }

  private Value json(String text) {
    try {
      return data.parser().parseValue(text);
    } catch (kv.record.RecordFormatException e) {
      throw new CommandException("invalid JSON: " + e.getMessage(), e);
    }
  }

  private void checkDepth(String key, Value value) {
    int depth = ValueTypes.depth(value);
    if (depth > data.parser().limits().maxDepth()) {
      throw new CommandException("JSON.SET " + Replies.quote(key) + ": the value would nest " + depth
          + " levels deep (expected: <= " + data.parser().limits().maxDepth() + ", the server's --max-depth)");
    }
  }
}
