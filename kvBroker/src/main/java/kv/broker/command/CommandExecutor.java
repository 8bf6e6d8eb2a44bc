package kv.broker.command;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;

/**
 * Runs a parsed {@link Command} on the {@link Engine} for every front end: GET, QUERY, PUT,
 * SETVALUE, APPEND, DELETE and LOCATE go to the engine as they are, EXISTS, DBSIZE, KEYS and SCAN through the cluster-wide
 * keyspace commands. HELP, STATUS and EXIT are each front end's own. Thread-safe.
 */
public final class CommandExecutor {
  private final Engine engine;
  private final KeyspaceCommands keyspace;

  /** @param timeout how long each step of a keyspace command (a page, a window of EXISTS) may take */
  public CommandExecutor(Engine engine, Duration timeout) {
    this.engine = engine;
    this.keyspace = new KeyspaceCommands(engine, timeout);
  }

  /** The outcome of a data or keyspace command; never completes exceptionally for a keyspace command. */
  public CompletableFuture<Outcome> execute(Command command) {
    if (command instanceof Command.Get g) {
      return engine.get(g.key());
    } else if (command instanceof Command.Query q) {
      return engine.query(q.path());
    } else if (command instanceof Command.Delete d) {
      return d.keys().size() == 1 ? engine.delete(d.keys().get(0)) : keyspace.execute(command);
    } else if (command instanceof Command.Put p) {
      return engine.put(p.record());
    } else if (command instanceof Command.Locate l) {
      return engine.locate(l.key());
    } else if (command instanceof Command.Append a) {
      return engine.append(a.path(), a.element());
    } else if (command instanceof Command.PutValue v) {
      return engine.putValue(v.key(), v.value());
    } else if (command instanceof Command.Type t) {
      return engine.get(t.key());
    }
    return keyspace.execute(command);
  }

  /**
   * Whether {@code command} walks the key space (DBSIZE, KEYS, SCAN) or reads or deletes many keys
   * (EXISTS, DEL of several keys): then each step is bounded by the timeout, not the whole command,
   * which grows with the data.
   */
  public static boolean walksKeys(Command command) {
    return command instanceof Command.Exists || command instanceof Command.DbSize
        || command instanceof Command.Keys || command instanceof Command.Scan
        || command instanceof Command.Delete d && d.keys().size() > 1;
  }
}
