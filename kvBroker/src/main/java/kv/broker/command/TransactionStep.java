package kv.broker.command;

import java.util.ArrayList;
import java.util.List;
import kv.broker.engine.Operation;
import kv.broker.engine.Outcome;
import kv.record.RecordPrinter;

/**
 * A command queued in a transaction (MULTI ... EXEC) as the engine's single-key
 * {@link Operation}s, and its outcome from theirs: GET, QUERY, TYPE and EXISTS read, PUT and DEL
 * write; the keyspace walks and the prompt's own commands cannot be part of a transaction.
 * Immutable.
 */
public record TransactionStep(Command command, List<Operation> operations) {
  /** The commands a transaction may hold, for error messages. */
  public static final String ALLOWED = "GET, QUERY, TYPE, EXISTS, PUT, DEL";

  public TransactionStep {
    operations = List.copyOf(operations);
  }

  /** The step of {@code command}, or null when it cannot be part of a transaction. */
  public static TransactionStep of(Command command) {
    List<Operation> ops = new ArrayList<>();
    if (command instanceof Command.Get g) {
      ops.add(new Operation.Get(g.key()));
    } else if (command instanceof Command.Type t) {
      ops.add(new Operation.Get(t.key()));
    } else if (command instanceof Command.Query q) {
      ops.add(new Operation.Query(q.path()));
    } else if (command instanceof Command.Exists e) {
      e.keys().forEach(key -> ops.add(new Operation.Get(key)));
    } else if (command instanceof Command.Put p) {
      ops.add(new Operation.Put(p.record().key(), RecordPrinter.print(p.record().value())));
    } else if (command instanceof Command.Delete d) {
      d.keys().forEach(key -> ops.add(new Operation.Delete(key)));
    } else {
      return null;
    }
    return new TransactionStep(command, ops);
  }

  /** The keys it reads or writes, in order. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>(operations.size());
    operations.forEach(op -> keys.add(op.key()));
    return keys;
  }

  /** Whether it writes. */
  public boolean writes() {
    return operations.stream().anyMatch(Operation::writes);
  }

  /**
   * The command's outcome from its operations' ({@code outcomes}, in order): as the command
   * alone would answer, a count for EXISTS and a DEL of several keys, else the first failure.
   */
  public Outcome outcome(List<Outcome> outcomes) {
    if (outcomes.size() != operations.size()) {
      return new Outcome.Failed("the engine answered " + outcomes.size() + " outcomes for " + operations.size()
          + " operations");
    }
    boolean counts = command instanceof Command.Exists || command instanceof Command.Delete && operations.size() > 1;
    if (!counts) {
      return outcomes.get(0);
    }
    long count = 0;
    for (Outcome outcome : outcomes) {
      if (outcome instanceof Outcome.Found || outcome instanceof Outcome.Deleted) {
        count++;
      } else if (!(outcome instanceof Outcome.NotFound)) {
        return outcome;
      }
    }
    return new Outcome.Count(count);
  }
}
