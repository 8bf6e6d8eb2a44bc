package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import kv.raft.ClientClosedException;
import kv.raft.KeyPage;
import kv.raft.StrongClient;
import kv.raft.StrongException;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.InvalidUtf8Exception;
import kv.resp.Resp;
import kv.resp.ScanArgs;
import kv.resp.ScanCursors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A strong-mode server's front end (SPEC.md §8): runs each request as its command's
 * {@link CommandTable.Route} says — here (PING, INFO...), through the Raft group of its key
 * (reads linearizable), across every group (KEYS, SCAN, DBSIZE), or not at all (eventual mode's
 * replication forms). The future never fails: a group that cannot answer becomes its error reply
 * (NOQUORUM, UNKNOWN, TRYAGAIN). Thread-safe.
 */
final class StrongCommands {
  /*
   * A request with several keys whose command is per key (DELETE k1 k2, EXISTS k1 k2) is sent
   * as one request per key, each to its key's group, and the integer replies are summed, as a
   * cluster proxy does; each part is linearizable, the whole is not one atomic step. KEYS walks
   * every group in pages of KEYS_PAGE keys; SCAN's cursor maps (ScanCursors) to the last key of
   * the previous page; DBSIZE sums each group's count.
   */
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
  static final int KEYS_PAGE = 1000;

  private final CommandTable table;
  private final StrongClient client;
  private final ScanCursors cursors = new ScanCursors(ScanCursors.DEFAULT_CAPACITY);

  StrongCommands(CommandTable table, StrongClient client) {
    this.table = table;
    this.client = client;
  }

  /** The reply to {@code request}, now or once its group has answered. */
  CompletableFuture<Resp> execute(Request request, Session session) {
    CommandTable.Spec spec = table.spec(request);
    Resp bad = CommandTable.check(spec, request, session);
    if (bad != null) {
      return CompletableFuture.completedFuture(bad);
    }
    try {
      switch (spec.route()) {
        case LOCAL:
          return CompletableFuture.completedFuture(table.execute(request, session));
        case REPLICATION:
          return CompletableFuture.completedFuture(Replies.error("ERR", "'" + spec.name() + "' is a replication"
              + " command of eventual mode; this server runs in strong mode, where every write goes through Raft"
              + " (expected: GET, QUERY, PUT, DELETE, EXISTS, KEYS, SCAN, DBSIZE)"));
        case KEYSPACE:
          return keyspace(request);
        default:
          return keyed(spec, request);
      }
    } catch (CommandException e) {
      return CompletableFuture.completedFuture(Replies.error(e.prefix(), e.getMessage()));
    } catch (InvalidUtf8Exception e) {
      return CompletableFuture.completedFuture(Replies.error("ERR", e.getMessage()));
    }
  }

  private CompletableFuture<Resp> keyed(CommandTable.Spec spec, Request request) {
    boolean write = spec.route() == CommandTable.Route.WRITE;
    List<String> keys = spec.keys().keys(request);
    if (spec.name().equals("JSON.MGET") && keys.size() > 1) {
      return mget(keys, request);
    }
    if (!spec.perKey() || keys.size() == 1) {
      return send(write, keys.get(0), request.args());
    }
    List<CompletableFuture<Resp>> parts = new ArrayList<>(keys.size());
    for (String key : keys) {
      parts.add(send(write, key, List.of(request.args().get(0), key.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      long sum = 0;
      for (CompletableFuture<Resp> p : parts) {
        Resp r = p.join();
        if (!(r instanceof Resp.Int n)) {
          return r;
        }
        sum += n.value();
      }
      return new Resp.Int(sum);
    });
  }

  /* JSON.MGET k1 k2 ... path: each key read in its group (JSON.MGET ki path), the answers in key order. */
  private CompletableFuture<Resp> mget(List<String> keys, Request request) {
    byte[] path = request.args().get(request.size() - 1);
    List<CompletableFuture<Resp>> parts = new ArrayList<>(keys.size());
    for (String key : keys) {
      parts.add(send(false, key, List.of(request.args().get(0), key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          path)));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<Resp> items = new ArrayList<>(keys.size());
      for (CompletableFuture<Resp> p : parts) {
        Resp r = p.join();
        if (!(r instanceof Resp.Array one) || one.items().size() != 1) {
          return r; // an error: the whole command's answer
        }
        items.add(one.items().get(0));
      }
      return new Resp.Array(items);
    });
  }

  private CompletableFuture<Resp> send(boolean write, String key, List<byte[]> args) {
    CompletableFuture<Resp> reply = write ? client.write(key, args) : client.read(key, args);
    return reply.handle((r, e) -> e == null ? r : failure(e));
  }

  private CompletableFuture<Resp> keyspace(Request request) {
    switch (request.command()) {
      case "DBSIZE":
        return client.size().<Resp>thenApply(Resp.Int::new).handle((r, e) -> e == null ? r : failure(e));
      case "KEYS": {
        KeyPattern pattern = Replies.keyPattern(request.arg(1));
        List<Resp> keys = new ArrayList<>();
        return allKeys(text(pattern), null, keys).<Resp>thenApply(v -> new Resp.Array(keys))
            .handle((r, e) -> e == null ? r : failure(e));
      }
      default: {
        String after;
        try {
          after = cursors.resume(request.arg(1));
        } catch (IllegalArgumentException e) {
          throw new CommandException(e.getMessage(), e);
        }
        ScanArgs options = Replies.scanArgs(request, KeyspaceCommands.SCAN);
        return client.keys(text(options.pattern()), after, options.count()).<Resp>thenApply(page -> {
          List<Resp> keys = new ArrayList<>(page.keys().size());
          for (String k : page.keys()) {
            keys.add(Replies.bulk(k));
          }
          String cursor = page.next() == null ? "0" : cursors.issue(page.next());
          return new Resp.Array(List.of(Replies.bulk(cursor), new Resp.Array(keys)));
        }).handle((r, e) -> e == null ? r : failure(e));
      }
    }
  }

  private CompletableFuture<Void> allKeys(String pattern, String after, List<Resp> into) {
    return client.keys(pattern, after, KEYS_PAGE).thenCompose((KeyPage page) -> {
      for (String k : page.keys()) {
        into.add(Replies.bulk(k));
      }
      return page.next() == null ? CompletableFuture.completedFuture(null) : allKeys(pattern, page.next(), into);
    });
  }

  private static String text(KeyPattern pattern) {
    return pattern.exact() ? pattern.prefix() : pattern.prefix() + "*";
  }

  /* A group that cannot answer says why; anything else is a bug worth a log line. */
  private static Resp failure(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof StrongException s) {
      return s.respError();
    }
    if (cause instanceof ClientClosedException) {
      return Replies.error("ERR", "the server is stopping");
    }
    LOG.error("strong mode: unexpected failure", cause);
    return Replies.error("ERR", "internal error: " + cause);
  }
}
