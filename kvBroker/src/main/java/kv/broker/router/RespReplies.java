package kv.broker.router;

import java.util.ArrayList;
import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.engine.Outcome;
import kv.record.RecordPrinter;
import kv.resp.Resp;

/**
 * The RESP reply for an {@link Outcome}, shaped like kvServer's: GET gives the set's canonical
 * text, QUERY the value's, an absent key {@code $-1}, DELETE {@code :1}/{@code :0} (several keys: how
 * many), TYPE {@code +ReJSON-RL}/{@code +none}; failures are
 * errors whose prefix says what a client may do ({@code -CLUSTERDOWN} servers are down,
 * {@code -TRYAGAIN} a DELETE was refused, an Unanswered outcome's own code such as
 * {@code -NOQUORUM}, {@code -ERR} anything else). Stateless.
 */
final class RespReplies {
  private RespReplies() {}

  static Resp of(Command command, Outcome outcome) {
    if (command instanceof Command.Type && (outcome instanceof Outcome.Found || outcome instanceof Outcome.NotFound)) {
      // As kvServer: a record is a JSON document, RedisJSON's ReJSON-RL.
      return new Resp.Simple(outcome instanceof Outcome.Found ? "ReJSON-RL" : "none");
    } else if (command instanceof Command.Append && outcome instanceof Outcome.Written w && w.acknowledged() > 0) {
      return w.length() >= 0 ? new Resp.Int(w.length()) : Resp.OK; // as kvServer: the list's new length
    } else if (outcome instanceof Outcome.WrongType w) {
      return new Resp.Error("ERR " + w.message());
    } else if (outcome instanceof Outcome.Unknown u) {
      return new Resp.Error("ERR " + u.message());
    } else if (outcome instanceof Outcome.Found f) {
      return Resp.Bulk.of(f.set());
    } else if (outcome instanceof Outcome.QueryValue q) {
      return Resp.Bulk.of(RecordPrinter.print(q.value()));
    } else if (outcome instanceof Outcome.NotFound) {
      return command instanceof Command.Delete ? new Resp.Int(0) : Resp.NullBulk.INSTANCE;
    } else if (outcome instanceof Outcome.Deleted) {
      return new Resp.Int(1);
    } else if (outcome instanceof Outcome.Written w) {
      return w.acknowledged() > 0 ? Resp.OK : new Resp.Error("CLUSTERDOWN " + w.message());
    } else if (outcome instanceof Outcome.Unavailable u) {
      return new Resp.Error("CLUSTERDOWN " + u.message());
    } else if (outcome instanceof Outcome.Refused r) {
      return new Resp.Error("TRYAGAIN " + r.message());
    } else if (outcome instanceof Outcome.Count n) {
      return new Resp.Int(n.count());
    } else if (outcome instanceof Outcome.Keys k) {
      return bulks(k.keys());
    } else if (outcome instanceof Outcome.ScanPage p) {
      return new Resp.Array(List.of(Resp.Bulk.of(p.cursor()), bulks(p.keys())));
    } else if (outcome instanceof Outcome.Incomplete i) {
      return new Resp.Error("CLUSTERDOWN " + i.message());
    } else if (outcome instanceof Outcome.Unanswered u) {
      return new Resp.Error(u.code() + " " + u.message());
    } else if (outcome instanceof Outcome.Located l) {
      return Resp.Bulk.of(kv.broker.command.LocationText.format(l.location()));
    } else {
      return new Resp.Error("ERR " + ((Outcome.Failed) outcome).message());
    }
  }

  /** The error reply of an outcome that says why nothing was done (Unavailable, Refused, Failed, Incomplete). */
  static Resp failure(Outcome outcome) {
    if (outcome instanceof Outcome.Unavailable || outcome instanceof Outcome.Refused
        || outcome instanceof Outcome.Failed || outcome instanceof Outcome.Incomplete
        || outcome instanceof Outcome.Unanswered) {
      return of(new Command.DbSize(), outcome);
    }
    return new Resp.Error("ERR not applied: " + outcome);
  }

  /** The reply to a request that is not a valid command. */
  static Resp error(BadCommandException error) {
    return new Resp.Error("ERR " + error.getMessage());
  }

  private static Resp bulks(List<String> keys) {
    List<Resp> items = new ArrayList<>(keys.size());
    for (String key : keys) {
      items.add(Resp.Bulk.of(key));
    }
    return new Resp.Array(items);
  }
}
