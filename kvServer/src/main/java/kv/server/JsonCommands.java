package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import kv.record.JsonEdits;
import kv.record.JsonPath;
import kv.record.ListValue;
import kv.record.Value;
import kv.record.ValueTypes;
import kv.resp.JsonReplies;
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
   * Arguments, the values JSON.SET stores and the reply shapes are kv.resp.JsonReplies, shared
   * with the broker's router.
   * Differences: only simple paths (JsonPath: no wildcards, '..', filters); JSON.DEL of an object's
   * last member leaves {} rather than deleting the key; JSON.GET's FORMAT option is refused.
   */
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
    JsonEdits.Condition when = request.size() == 5 ? shared(() -> JsonReplies.condition(request.arg(4)))
        : JsonEdits.Condition.ANY;
    return store.locked(key, () -> {
      Value updated = shared(() -> JsonReplies.set(key, store.get(key), path, value, when));
      if (updated == null) {
        return Resp.NullBulk.INSTANCE;
      }
      if (!path.isRoot()) {
        checkDepth(key, updated);
      }
      store.put(key, updated);
      return Resp.OK;
    });
  }

  private Resp get(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    List<String> args = new ArrayList<>(request.size() - 2);
    for (int i = 2; i < request.size(); i++) {
      args.add(request.arg(i));
    }
    JsonReplies.GetArgs parsed = shared(() -> JsonReplies.GetArgs.parse(args));
    Value value = store.get(key);
    return shared(() -> JsonReplies.get(value, parsed));
  }

  private Resp del(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    JsonPath path = request.size() > 2 ? path(request.arg(2)) : JsonReplies.LEGACY_ROOT;
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
      Resp refusal = shared(() -> JsonReplies.arrAppendRefusal(key, current, path));
      if (refusal != null) {
        return refusal;
      }
      ListValue list = (ListValue) path.resolve(current);
      List<String> segments = path.segments(current);
      for (Value value : values) {
        ValueCommands.checkDepth("JSON.ARRAPPEND " + key + " " + path.text(), segments.size(), value,
            data.parser().limits().maxDepth());
      }
      for (Value value : values) {
        store.append(key, segments, value);
      }
      return JsonReplies.arrAppendLength(path, list.items().size() + (long) values.size());
    });
  }

  private Resp type(Request request, Session session) {
    String key = Replies.userKey(request.arg(1));
    JsonPath path = request.size() > 2 ? path(request.arg(2)) : JsonReplies.LEGACY_ROOT;
    return JsonReplies.type(store.get(key), path, session.client().protocol());
  }

  private Resp mget(Request request, Session session) {
    JsonPath path = path(request.arg(request.size() - 1));
    List<Resp> replies = new ArrayList<>(request.size() - 2);
    for (int i = 1; i < request.size() - 1; i++) {
      replies.add(JsonReplies.mgetItem(store.get(Replies.userKey(request.arg(i))), path));
    }
    return new Resp.Array(replies);
  }

  /* The shared code's refusal (its words) as this command's error. */
  private static <T> T shared(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
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
