package kv.broker.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.Outcome;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.record.AppendRefusal;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.Value;
import kv.resp.Resp;

/**
 * APPEND in eventual mode: checks what the place holds by a read of the key (GET's path, without
 * read repair), then
 * sends {@code VAPPEND} with a fresh version to the key's replicas that can log; the ones that
 * missed it get durable hints on the ones that took it. Thread-safe; futures complete on the servers' threads.
 */
final class AppendWrite {
  /*
   * Why the read first: a server stores a VAPPEND whatever the key holds and merges it at read
   * only where a list (or nothing) is (kvServer's rule), so without the check an APPEND to a
   * string would be acknowledged and then never show. The read and the write are two steps: a PUT
   * through another broker in between can still turn the place into a string; the servers then
   * leave this append out of the value when they merge it (never coerced) and keep it stored until
   * a newer PUT or DELETE supersedes it. The same holds for kvServer's own APPEND across replicas.
   *
   * Hints: VAPPEND takes no HINT list, so once replicas took the append the broker asks them to
   * keep a durable hint (VHINT key version servers) for the ones that missed it, before it answers.
   * The hint names the user key: its replay copies every entry the holder stores for the key
   * (VENTRIES: the PUT or DELETE and each append, with its own version), so two concurrent
   * appends hinted under one key both arrive.
   *
   * The length reported is the list's length at the read plus one: what the list holds after
   * this append unless other writes came in between (concurrent appends make it longer).
   */
  private final Replication replication;
  private final RecordParser values;

  /** @param values reads a replica's value (permissive limits: the servers have checked it) */
  AppendWrite(Replication replication, RecordParser values) {
    this.replication = replication;
    this.values = values;
  }

  CompletableFuture<Outcome> append(Path path, Value element) {
    String key = path.key();
    return replication.check(key).thenCompose(read -> {
      Value root;
      if (read instanceof Outcome.Found found) {
        try {
          root = values.parseValue(found.set());
        } catch (RecordFormatException e) {
          return done(new Outcome.Failed("a replica of " + key + " returned a value that does not parse: "
              + e.getMessage()));
        }
      } else if (read instanceof Outcome.NotFound) {
        root = null;
      } else {
        return done(read); // Unavailable or Failed: what is there could not be checked; nothing was sent
      }
      String refusal = AppendRefusal.of(key, root, path.segments());
      if (refusal != null) {
        return done(new Outcome.WrongType(key, "APPEND " + path + ": " + refusal));
      }
      Value list = root == null ? null : path.resolve(root);
      long length = list instanceof ListValue l ? l.items().size() + 1L : 1L;
      return send(path, element, length);
    });
  }

  private CompletableFuture<Outcome> send(Path path, Value element, long length) {
    String key = path.key();
    List<Server> replicas = replication.replicas(key);
    List<Server> targets = new ArrayList<>(replicas.size());
    for (Server server : replicas) {
      if (server.writable()) {
        targets.add(server);
      }
    }
    if (targets.isEmpty()) {
      return done(new Outcome.Written(key, 0, replicas.size(), -1));
    }
    long version = replication.writeVersion(key);
    List<byte[]> request = ServerRequests.vappend(key, version, Path.relativeText(path.segments()),
        RecordPrinter.print(element));
    return Fanout.ask(targets, request).thenCompose(replies -> {
      List<Server> took = new ArrayList<>();
      String error = null;
      List<String> silent = new ArrayList<>();
      for (Fanout.Reply reply : replies) {
        if (reply.resp() instanceof Resp.Int) {
          took.add(reply.server());
        } else if (reply.resp() instanceof Resp.Error e) {
          if (e.text().startsWith(Replication.LOG_REFUSED)) {
            reply.server().logRefused(e.text()); // hinted below like a silent one
          } else {
            error = error != null ? error : "server " + reply.address() + ": " + e.text();
          }
        } else if (reply.resp() != null) {
          error = error != null ? error : "server " + reply.address() + ": unexpected reply to VAPPEND: " + reply.resp();
        } else {
          silent.add(reply.address() + " (" + TransportException.reason(reply.failure()) + ")");
        }
      }
      if (error != null) {
        return done(new Outcome.Failed(error));
      }
      if (took.isEmpty()) {
        return done(new Outcome.Unknown(key, "APPEND " + path + ": the outcome is unknown: no replica answered ("
            + String.join(", ", silent) + "), so the element may or may not have been appended; retrying may"
            + " append it twice (GET the key to see)"));
      }
      List<Server> missed = new ArrayList<>(replicas);
      missed.removeAll(took);
      if (missed.isEmpty()) {
        return done(new Outcome.Written(key, took.size(), replicas.size(), length));
      }
      return replication.hint(key, version, took, missed).thenApply(hintError -> hintError == null
          ? new Outcome.Written(key, took.size(), replicas.size(), length)
          : new Outcome.Failed(hintError + "; GET the key before repeating the APPEND: a repeat appends again"));
    });
  }

  private static CompletableFuture<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
