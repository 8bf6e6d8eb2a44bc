package kv.broker.command;

import kv.broker.engine.Outcome;

/**
 * The kind of a failed {@link Outcome}, as the router's RESP error prefix says it:
 * {@code CLUSTERDOWN} (servers are down: the key's replicas, or too many for a cluster-wide
 * answer; a write no replica acknowledged), {@code TRYAGAIN} (a DELETE refused), {@code ERR}
 * (anything else: a bad request, a value of the wrong type, a write with an unknown outcome), and
 * in strong mode the group's own code ({@code NOQUORUM}, {@code UNKNOWN}, {@code TRYAGAIN}); null
 * for an answer. For {@code --json} and the metrics. Stateless.
 */
public final class ErrorKind {
  private ErrorKind() {}

  public static String of(Outcome outcome) {
    if (outcome instanceof Outcome.Unavailable || outcome instanceof Outcome.Incomplete
        || outcome instanceof Outcome.Written w && w.acknowledged() <= 0) {
      return "CLUSTERDOWN";
    } else if (outcome instanceof Outcome.Refused) {
      return "TRYAGAIN";
    } else if (outcome instanceof Outcome.Unanswered u) {
      return u.code(); // strong mode: NOQUORUM, UNKNOWN or TRYAGAIN, as the router says it
    }
    if (outcome instanceof Outcome.Failed || outcome instanceof Outcome.WrongType
        || outcome instanceof Outcome.Unknown) {
      return "ERR";
    }
    return null;
  }
}
