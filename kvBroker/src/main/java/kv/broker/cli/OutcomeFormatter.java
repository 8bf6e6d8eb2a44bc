package kv.broker.cli;

import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.engine.Outcome;
import kv.record.RecordPrinter;
import kv.resp.Resp;


/**
 * Formats an {@link Outcome} for the prompt (SPEC.md §6 transcript) and as a RESP reply for the
 * router. Both use the same words for failures; only the prefix differs ({@code ERROR: } or
 * {@code WARNING: } at the prompt, {@code -ERR}, {@code -CLUSTERDOWN} or {@code -TRYAGAIN} over
 * RESP). Stateless and thread-safe.
 */
public final class OutcomeFormatter {
  static final String NOT_FOUND = "NOT FOUND";
  static final String OK = "OK";
  static final String NO_KEYS = "(no keys)";

  private OutcomeFormatter() {}

  /** The text the prompt prints for {@code outcome}. */
  public static String text(Outcome outcome) {
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
        return "ERROR: " + notWritten(w);
      }
      return w.acknowledged() >= w.replicas()
          ? OK
          : OK + " (" + w.acknowledged() + " of " + w.replicas() + " replicas acknowledged)";
    } else if (outcome instanceof Outcome.Unavailable u) {
      return "WARNING: " + unavailable(u);
    } else if (outcome instanceof Outcome.Refused r) {
      return "ERROR: " + refused(r);
    } else {
      return "ERROR: " + ((Outcome.Failed) outcome).message();
    }
  }

  /**
   * The text the prompt prints for a keyspace reply of {@link KeyspaceCommands#execute}: the integer
   * of EXISTS or DBSIZE, the keys of KEYS one a line (quoted as GET prints them) or
   * {@value #NO_KEYS}; a CLUSTERDOWN error becomes a WARNING, any other error an ERROR.
   */
  public static String text(Resp reply) {
    if (reply instanceof Resp.Int n) {
      return Long.toString(n.value());
    } else if (reply instanceof Resp.Array keys) {
      if (keys.items().isEmpty()) {
        return NO_KEYS;
      }
      StringBuilder out = new StringBuilder();
      for (Resp key : keys.items()) {
        out.append(out.length() == 0 ? "" : "\n").append(RecordPrinter.printKey(((Resp.Bulk) key).text()));
      }
      return out.toString();
    } else if (reply instanceof Resp.Error e) {
      String text = e.text();
      int space = text.indexOf(' ');
      String message = space < 0 ? text : text.substring(space + 1);
      return (text.startsWith("CLUSTERDOWN ") ? "WARNING: " : "ERROR: ") + message;
    }
    throw new IllegalArgumentException("reply: " + reply + " (expected: an integer, an array of keys or an error)");
  }

  /** The text the prompt prints for a command that could not be parsed. */
  public static String text(BadCommandException error) {
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
        || (outcome instanceof Outcome.Written w && w.acknowledged() <= 0);
  }

  /**
   * The RESP reply for {@code outcome} of {@code command}, shaped like kvServer's: GET gives the
   * set's canonical text, QUERY the value's, an absent key {@code $-1}, DELETE {@code :1}/{@code :0}.
   */
  public static Resp resp(Command command, Outcome outcome) {
    if (outcome instanceof Outcome.Found f) {
      return Resp.Bulk.of(f.set());
    } else if (outcome instanceof Outcome.QueryValue q) {
      return Resp.Bulk.of(RecordPrinter.print(q.value()));
    } else if (outcome instanceof Outcome.NotFound) {
      return command instanceof Command.Delete ? new Resp.Int(0) : Resp.NullBulk.INSTANCE;
    } else if (outcome instanceof Outcome.Deleted) {
      return new Resp.Int(1);
    } else if (outcome instanceof Outcome.Written w) {
      return w.acknowledged() > 0 ? Resp.OK : new Resp.Error("CLUSTERDOWN " + notWritten(w));
    } else if (outcome instanceof Outcome.Unavailable u) {
      return new Resp.Error("CLUSTERDOWN " + unavailable(u));
    } else if (outcome instanceof Outcome.Refused r) {
      return new Resp.Error("TRYAGAIN " + refused(r));
    } else {
      return new Resp.Error("ERR " + ((Outcome.Failed) outcome).message());
    }
  }

  /** The RESP reply for a request that is not a valid command. */
  public static Resp resp(BadCommandException error) {
    return new Resp.Error("ERR " + error.getMessage());
  }

  private static String unavailable(Outcome.Unavailable u) {
    return u.replicas() + " or more servers are down (" + String.join(", ", u.downServers())
        + "): cannot guarantee a correct answer for " + displayKey(u.key());
  }

  private static String refused(Outcome.Refused r) {
    List<String> down = r.downServers();
    String servers = down.size() == 1
        ? "replica server " + down.get(0) + " is"
        : "replica servers " + String.join(", ", down) + " are";
    return "cannot delete " + displayKey(r.key()) + " reliably: " + servers + " down; nothing was deleted";
  }

  private static String notWritten(Outcome.Written w) {
    return "cannot write " + displayKey(w.key()) + ": 0 of " + w.replicas()
        + " replicas acknowledged (all down or not answering)";
  }

  /** {@code 'person1'} for a plain word, else the key as a JSON string ({@code "a b"}). */
  static String displayKey(String key) {
    return RecordPrinter.isPlainWord(key) ? "'" + key + "'" : RecordPrinter.printKey(key);
  }
}
