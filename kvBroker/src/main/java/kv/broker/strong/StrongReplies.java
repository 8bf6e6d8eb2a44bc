package kv.broker.strong;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.raft.ClientClosedException;
import kv.raft.StrongException;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.resp.Resp;

/**
 * The {@link Outcome} of a Raft group's reply to GET, QUERY, PUT and DELETE, and of a failure to
 * get one: a group without quorum, a write whose outcome is unknown or a group that did not
 * answer keep their precision as {@link Outcome.Unanswered} with the raft module's code
 * (NOQUORUM, UNKNOWN, TRYAGAIN), never NotFound. Pure functions; stateless.
 */
final class StrongReplies {
  static final String STOPPING = "the broker is stopping; the request may or may not have been applied";

  private StrongReplies() {}

  /** GET: the value's canonical text, or NotFound for {@code $-1}. */
  static Outcome get(String key, Resp reply) {
    if (reply instanceof Resp.Bulk b) {
      return new Outcome.Found(key, b.text());
    }
    if (reply instanceof Resp.NullBulk) {
      return new Outcome.NotFound(key);
    }
    return unexpected("GET", reply);
  }

  /** QUERY: the value at the path (the group printed it canonically), or NotFound. */
  static Outcome query(Path path, Resp reply, RecordParser parser) {
    if (reply instanceof Resp.Bulk b) {
      try {
        return new Outcome.QueryValue(path, parser.parseValue(b.text()));
      } catch (RecordFormatException e) {
        return new Outcome.Failed("the value at " + path + " does not parse: " + e.getMessage());
      }
    }
    if (reply instanceof Resp.NullBulk) {
      return new Outcome.NotFound(path.key());
    }
    return unexpected("QUERY", reply);
  }

  /**
   * PUT: Written once the group committed and applied it. A strong write has no count of
   * replicas that took it: a majority of the group did, so it is written as 1 of 1.
   */
  static Outcome put(String key, Resp reply) {
    if (reply instanceof Resp.Simple s && s.text().equals("OK")) {
      return new Outcome.Written(key, 1, 1);
    }
    return unexpected("PUT", reply);
  }

  /**
   * APPEND: Written with the list's length for {@code :n}; the server's refusal of a place that
   * holds no list (the same on every member, so a retry would be refused again) is WrongType.
   */
  static Outcome append(kv.record.Path path, Resp reply) {
    if (reply instanceof Resp.Int n) {
      return new Outcome.Written(path.key(), 1, 1, n.value());
    }
    if (reply instanceof Resp.Error e && e.text().startsWith("ERR APPEND ")) {
      return new Outcome.WrongType(path.key(), e.text().substring(4));
    }
    return unexpected("APPEND", reply);
  }

  /** DELETE: Deleted for {@code :1}, NotFound for {@code :0}. */
  static Outcome delete(String key, Resp reply) {
    if (reply instanceof Resp.Int n) {
      return n.value() > 0 ? new Outcome.Deleted(key) : new Outcome.NotFound(key);
    }
    return unexpected("DELETE", reply);
  }

  /** The outcome of a request that got no reply: why the group could not answer. */
  static Outcome failure(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof StrongException s) {
      return new Outcome.Unanswered(s.prefix(), s.getMessage());
    }
    if (cause instanceof ClientClosedException) {
      return new Outcome.Failed(STOPPING);
    }
    return Outcome.Failed.of(cause);
  }

  /** A key page that could not be read, as {@link #failure}. */
  static KeyScan failedPage(Throwable error) {
    Outcome outcome = failure(error);
    if (outcome instanceof Outcome.Unanswered u) {
      return new KeyScan.Unanswered(u.code(), u.message());
    }
    return new KeyScan.Failed(((Outcome.Failed) outcome).message());
  }

  /*
   * An error reply is the command's own answer (the same on every member), e.g. an invalid
   * record: Failed with its words, "ERR " dropped since each front end adds its own prefix.
   */
  static Outcome unexpected(String command, Resp reply) {
    if (reply instanceof Resp.Error e) {
      String text = e.text();
      return new Outcome.Failed(text.startsWith("ERR ") ? text.substring(4) : text);
    }
    return new Outcome.Failed("unexpected reply to " + command + ": " + reply);
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
