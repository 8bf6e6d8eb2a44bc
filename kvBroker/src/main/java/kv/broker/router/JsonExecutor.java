package kv.broker.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kv.broker.command.Command;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.record.JsonEdits;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.Value;
import kv.resp.JsonReplies;
import kv.resp.Protocol;
import kv.resp.Resp;

/**
 * Runs a {@link JsonCommand} over the {@link Engine}'s operations (GET, putValue, append, DELETE),
 * so every engine answers it, with RedisJSON's replies ({@link JsonReplies}, as kvServer's).
 * Thread-safe (stateless over a thread-safe engine).
 */
final class JsonExecutor {
  /*
   * The mapping, and what it does not promise:
   *  - JSON.SET key $ json: putValue. With NX/XX, or a path below the root: GET, then the value
   *    JSON.SET makes of it (JsonReplies.set), stored whole with putValue.
   *  - JSON.DEL key [$ | .]: DELETE. A path below the root: GET, edit (JsonEdits), putValue.
   *  - JSON.ARRAPPEND key path json...: GET (the key must exist and hold an array there), then one
   *    APPEND per value, so concurrent ARRAPPENDs through different brokers converge as APPENDs do.
   *  - JSON.GET, JSON.TYPE, JSON.MGET: GET of each key, then the reply of kvServer.
   * A GET-then-write is two engine operations: the router's KeyOrder keeps it in order with the
   * connection's other commands on the key, but another client's write to the key between the
   * two can be overwritten (last writer wins), and an APPEND between them is superseded by the
   * whole value written. On one kvServer the same commands run under the key's lock.
   */
  private final Engine engine;
  private final RecordParser values;

  JsonExecutor(Engine engine, RecordParser values) {
    this.engine = engine;
    this.values = values;
  }

  /** The reply to {@code command}; the future completes with a reply, an error reply for any failure. */
  CompletableFuture<Resp> run(JsonCommand command, Protocol protocol) {
    CompletableFuture<Resp> reply;
    try {
      reply = dispatch(command, protocol);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.handle((resp, error) -> error == null ? resp : errorReply(error));
  }

  private CompletableFuture<Resp> dispatch(JsonCommand command, Protocol protocol) {
    if (command instanceof JsonCommand.Set s) {
      return set(s);
    } else if (command instanceof JsonCommand.Get g) {
      return read(g.key()).thenApply(r -> r.failure != null ? r.failure : JsonReplies.get(r.value, g.args()));
    } else if (command instanceof JsonCommand.Del d) {
      return del(d);
    } else if (command instanceof JsonCommand.ArrAppend a) {
      return arrAppend(a);
    } else if (command instanceof JsonCommand.Type t) {
      return read(t.key()).thenApply(r -> r.failure != null ? r.failure : JsonReplies.type(r.value, t.path(), protocol));
    }
    return mget((JsonCommand.MGet) command);
  }

  private CompletableFuture<Resp> set(JsonCommand.Set s) {
    if (s.path().isRoot() && s.when() == JsonEdits.Condition.ANY) {
      return store(s.key(), s.value(), Resp.OK);
    }
    return read(s.key()).thenCompose(r -> {
      if (r.failure != null) {
        return done(r.failure);
      }
      Value updated = JsonReplies.set(s.key(), r.value, s.path(), s.value(), s.when());
      return updated == null ? done(Resp.NullBulk.INSTANCE) : store(s.key(), updated, Resp.OK);
    });
  }

  private CompletableFuture<Resp> del(JsonCommand.Del d) {
    if (d.path().isRoot()) {
      return engine.delete(d.key()).thenApply(o -> o instanceof Outcome.Deleted ? new Resp.Int(1)
          : RespReplies.of(new Command.Delete(d.key()), o));
    }
    return read(d.key()).thenCompose(r -> {
      if (r.failure != null) {
        return done(r.failure);
      }
      Value updated = r.value == null ? null : JsonEdits.delete(r.value, d.path());
      return updated == null ? done(new Resp.Int(0)) : store(d.key(), updated, new Resp.Int(1));
    });
  }

  private CompletableFuture<Resp> arrAppend(JsonCommand.ArrAppend a) {
    return read(a.key()).thenCompose(r -> {
      if (r.failure != null) {
        return done(r.failure);
      }
      Resp refusal = JsonReplies.arrAppendRefusal(a.key(), r.value, a.path());
      if (refusal != null) {
        return done(refusal);
      }
      int before = ((ListValue) a.path().resolve(r.value)).items().size();
      Path at = new Path(a.key(), a.path().segments(r.value));
      return appendFrom(at, a.values(), 0, before).thenApply(reply -> reply instanceof Resp.Int length
          ? JsonReplies.arrAppendLength(a.path(), length.value()) : reply);
    });
  }

  /* APPENDs values[i..] one after another; the last length (an Int), or the first failure's reply. */
  private CompletableFuture<Resp> appendFrom(Path at, List<Value> items, int i, long length) {
    if (i == items.size()) {
      return done(new Resp.Int(length));
    }
    return engine.append(at, items.get(i)).thenCompose(o -> {
      if (o instanceof Outcome.Written w && w.acknowledged() > 0) {
        return appendFrom(at, items, i + 1, w.length() >= 0 ? w.length() : length + 1);
      }
      return done(RespReplies.of(new Command.Append(at, items.get(i)), o));
    });
  }

  private CompletableFuture<Resp> mget(JsonCommand.MGet m) {
    List<CompletableFuture<Read>> reads = new ArrayList<>(m.keys().size());
    m.keys().forEach(key -> reads.add(read(key)));
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
      List<Resp> items = new ArrayList<>(reads.size());
      for (CompletableFuture<Read> read : reads) {
        Read r = read.join();
        if (r.failure != null) {
          return r.failure;
        }
        items.add(JsonReplies.mgetItem(r.value, m.path()));
      }
      return new Resp.Array(items);
    });
  }

  /** A key's value (null: absent), or why it could not be read (the reply). */
  private record Read(Value value, Resp failure) {}

  private CompletableFuture<Read> read(String key) {
    return engine.get(key).thenApply(o -> {
      if (o instanceof Outcome.Found f) {
        try {
          return new Read(values.parseValue(f.set()), null);
        } catch (RecordFormatException e) {
          return new Read(null, new Resp.Error("ERR the value of '" + key + "' could not be read: " + e.getMessage()));
        }
      } else if (o instanceof Outcome.NotFound) {
        return new Read(null, null);
      }
      return new Read(null, RespReplies.failure(o));
    });
  }

  /* putValue, answering {@code ok} once a replica took it, else the write's error. */
  private CompletableFuture<Resp> store(String key, Value value, Resp ok) {
    return engine.putValue(key, value).thenApply(o -> o instanceof Outcome.Written w && w.acknowledged() > 0 ? ok
        : RespReplies.of(new Command.PutValue(key, value), o));
  }

  /* A refusal of the shared JSON code (its words), or a failure. */
  private static Resp errorReply(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof IllegalArgumentException ? new Resp.Error("ERR " + cause.getMessage())
        : RespReplies.failure(Outcome.Failed.of(error));
  }

  private static CompletableFuture<Resp> done(Resp reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
