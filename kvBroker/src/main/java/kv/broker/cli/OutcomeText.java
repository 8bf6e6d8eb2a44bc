package kv.broker.cli;

import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.engine.Outcome;
import kv.record.RecordPrinter;

/**
 * The text the prompt, scripts and {@code -c} print for an {@link Outcome} (SPEC.md §6
 * transcript): a failure is its message after {@code ERROR: }, or {@code WARNING: } when servers
 * are down and the answer could be wrong. Stateless.
 */
final class OutcomeText {
  static final String NOT_FOUND = "NOT FOUND";
  static final String OK = "OK";
  static final String NO_KEYS = "(no keys)";

  private OutcomeText() {}

  static String of(Outcome outcome) {
    if (outcome instanceof Outcome.Found f) {
      return RecordPrinter.printKey(f.key()) + " : " + f.set();
    } else if (outcome instanceof Outcome.QueryValue q) {
      return q.path() + " : " + RecordPrinter.print(q.value());
    } else if (outcome instanceof Outcome.NotFound) {
      return NOT_FOUND;
    } else if (outcome instanceof Outcome.Deleted) {
      return OK;
    } else if (outcome instanceof Outcome.Written w) {
      if (w.acknowledged() <= 0) {
        return "ERROR: " + w.message();
      }
      return w.acknowledged() >= w.replicas()
          ? OK
          : OK + " (" + w.acknowledged() + " of " + w.replicas() + " replicas acknowledged)";
    } else if (outcome instanceof Outcome.Unavailable u) {
      return "WARNING: " + u.message();
    } else if (outcome instanceof Outcome.Refused r) {
      return "ERROR: " + r.message();
    } else if (outcome instanceof Outcome.Count n) {
      return Long.toString(n.count());
    } else if (outcome instanceof Outcome.Keys k) {
      return keys(k.keys());
    } else if (outcome instanceof Outcome.ScanPage p) {
      return keys(p.keys()) + "\n(cursor " + p.cursor() + ")";
    } else if (outcome instanceof Outcome.Incomplete i) {
      return "WARNING: " + i.message();
    } else if (outcome instanceof Outcome.Unanswered u) {
      return "ERROR: " + u.message();
    } else if (outcome instanceof Outcome.Located l) {
      return kv.broker.command.LocationText.format(l.location());
    } else if (outcome instanceof Outcome.WrongType w) {
      return "ERROR: " + w.message();
    } else if (outcome instanceof Outcome.Unknown u) {
      return "ERROR: " + u.message();
    } else {
      return "ERROR: " + ((Outcome.Failed) outcome).message();
    }
  }

  /** The text for a command that could not be parsed. */
  static String of(BadCommandException error) {
    return "ERROR: " + error.getMessage();
  }

  /**
   * True when the outcome is an ERROR or a WARNING: the command did not give a trustworthy
   * answer, so a script's exit code becomes non-zero. NOT FOUND is an answer, not a failure.
   */
  static boolean failed(Outcome outcome) {
    return outcome instanceof Outcome.Unavailable
        || outcome instanceof Outcome.Refused
        || outcome instanceof Outcome.Failed
        || outcome instanceof Outcome.Incomplete
        || outcome instanceof Outcome.Unanswered
        || outcome instanceof Outcome.WrongType
        || outcome instanceof Outcome.Unknown
        || (outcome instanceof Outcome.Written w && w.acknowledged() <= 0);
  }

  /** The keys one a line, quoted as GET prints them, or {@value #NO_KEYS}. */
  private static String keys(java.util.List<String> keys) {
    if (keys.isEmpty()) {
      return NO_KEYS;
    }
    StringBuilder out = new StringBuilder();
    for (String key : keys) {
      out.append(out.length() == 0 ? "" : "\n").append(RecordPrinter.printKey(key));
    }
    return out.toString();
  }
}
