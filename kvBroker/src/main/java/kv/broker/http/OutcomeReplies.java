package kv.broker.http;

import java.util.List;
import java.util.Map;
import kv.broker.engine.Outcome;
import kv.record.JsonPrinter;
import kv.record.RecordFormatException;
import kv.record.RecordParser;

/**
 * The HTTP answer to an engine's {@link Outcome}: values as JSON (RedisJSON's compact form), 204
 * for a write or delete, and each failure with the status a client can act on and the engine's
 * words as {@code text/plain}: 404 absent, 409 refused (DELETE with replicas down, APPEND to a
 * non-list), 503 servers down or an unknown outcome, 502 a server's error reply. Stateless.
 */
final class OutcomeReplies {
  /** The header of a write's answer: how many of the key's replicas acknowledged it, {@code 1/2}. */
  static final String ACKNOWLEDGED = "KV-Acknowledged";

  private final RecordParser values;

  /** @param values reads a replica's value text (permissive limits: the servers have checked it) */
  OutcomeReplies(RecordParser values) {
    this.values = values;
  }

  /** GET /keys/{key} and GET /keys/{key}/{path}: the value as JSON, or why not ({@code what} names the place). */
  HttpReply read(Outcome outcome, String what) {
    if (outcome instanceof Outcome.Found found) {
      try {
        return HttpReply.json(JsonPrinter.print(values.parseValue(found.set())));
      } catch (RecordFormatException e) {
        return HttpReply.text(502, "a replica of " + Outcome.displayKey(found.key())
            + " returned a value that does not parse: " + e.getMessage());
      }
    } else if (outcome instanceof Outcome.QueryValue q) {
      return HttpReply.json(JsonPrinter.print(q.value()));
    } else if (outcome instanceof Outcome.NotFound) {
      return HttpReply.text(404, what + ": not found");
    }
    return failure(outcome);
  }

  /** POST /keys/{key}: 204 when at least one replica acknowledged; {@code replicas} name the key's servers. */
  HttpReply write(Outcome outcome, List<String> replicas) {
    if (outcome instanceof Outcome.Written w) {
      if (w.acknowledged() > 0) {
        return HttpReply.noContent(Map.of(ACKNOWLEDGED, w.acknowledged() + "/" + w.replicas()));
      }
      return HttpReply.text(503, w.message() + "; replicas: " + String.join(", ", replicas));
    } else if (outcome instanceof Outcome.WrongType w) {
      return HttpReply.text(409, w.message());
    } else if (outcome instanceof Outcome.Unavailable u) {
      return HttpReply.text(503, "nothing was written: " + u.message());
    }
    return failure(outcome);
  }

  /** DELETE /keys/{key}: 204 deleted, 404 absent, 409 refused (replicas down). */
  HttpReply delete(Outcome outcome, String what) {
    if (outcome instanceof Outcome.Deleted) {
      return HttpReply.noContent();
    } else if (outcome instanceof Outcome.NotFound) {
      return HttpReply.text(404, what + ": not found");
    }
    return failure(outcome);
  }

  /** The answer to an outcome that says why there is no result. */
  static HttpReply failure(Outcome outcome) {
    if (outcome instanceof Outcome.Unavailable u) {
      return HttpReply.text(503, u.message());
    } else if (outcome instanceof Outcome.Unknown u) {
      return HttpReply.text(503, u.message());
    } else if (outcome instanceof Outcome.Unanswered u) {
      return HttpReply.text(503, u.code() + " " + u.message()); // strong mode: the group could not answer
    } else if (outcome instanceof Outcome.Refused r) {
      return HttpReply.text(409, r.message());
    } else if (outcome instanceof Outcome.WrongType w) {
      return HttpReply.text(409, w.message());
    } else if (outcome instanceof Outcome.Failed f) {
      return HttpReply.text(502, f.message());
    }
    return HttpReply.text(500, "internal error: unexpected outcome " + outcome);
  }

  /** The answer when the engine's future failed instead of giving an outcome (a bug). */
  static HttpReply error(Throwable error) {
    return HttpReply.text(500, "internal error: " + Outcome.Failed.of(error).message());
  }
}
