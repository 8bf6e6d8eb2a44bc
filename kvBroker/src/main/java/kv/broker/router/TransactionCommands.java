package kv.broker.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.command.CommandParser;
import kv.broker.command.TransactionStep;
import kv.broker.engine.Operation;
import kv.broker.engine.Outcome;
import kv.broker.engine.Transactions;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, and the commands queued between MULTI and EXEC, as
 * Redis answers them, over the engine's {@link Transactions}: a command is queued
 * ({@code +QUEUED}) only if the engine can run the transaction's keys atomically; otherwise it is
 * refused while queueing (Redis Cluster's {@code CROSSSLOT}; in eventual mode every command) and
 * EXEC answers {@code -EXECABORT} with nothing applied. Nothing is ever queued and then applied
 * without isolation. Thread-safe (the state is the connection's {@link RouterSession}).
 */
final class TransactionCommands {
  /** What a connection inside MULTI runs at once rather than queueing. */
  static final Set<String> IMMEDIATE = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "QUIT", "RESET");
  static final Set<String> NAMES = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");

  private final Transactions transactions;
  private final CommandParser parser;

  TransactionCommands(Transactions transactions, CommandParser parser) {
    this.transactions = transactions;
    this.parser = parser;
  }

  /** The reply to MULTI, EXEC, DISCARD, WATCH or UNWATCH. */
  RouterCommands.Step execute(Request request, RouterSession session) {
    String command = request.command();
    int argc = request.size() - 1;
    RouterSession.Transaction open = session.transaction();
    switch (command) {
      case "MULTI":
        if (argc != 0) {
          return now(arity("multi", "MULTI"));
        }
        if (open != null) {
          return now(new Resp.Error("ERR MULTI calls can not be nested"));
        }
        session.begin();
        return now(Resp.OK);
      case "DISCARD":
        if (argc != 0) {
          return now(arity("discard", "DISCARD"));
        }
        if (open == null) {
          return now(new Resp.Error("ERR DISCARD without MULTI"));
        }
        session.end();
        return now(Resp.OK);
      case "EXEC":
        if (argc != 0) {
          return now(arity("exec", "EXEC"));
        }
        if (open == null) {
          return now(new Resp.Error("ERR EXEC without MULTI"));
        }
        session.end();
        return exec(open);
      case "WATCH":
        if (argc == 0) {
          return now(arity("watch", "WATCH key [key ...]"));
        }
        if (open != null) {
          return now(new Resp.Error("ERR WATCH inside MULTI is not allowed"));
        }
        return now(new Resp.Error("ERR WATCH is not supported: KV has no optimistic locking; "
            + (transactions == Transactions.NONE ? transactions.refusal(List.of())
                : "a MULTI/EXEC on keys the engine can run together is atomic without it")));
      case "UNWATCH":
        return now(argc == 0 ? Resp.OK : arity("unwatch", "UNWATCH"));
      default:
        throw new IllegalArgumentException("command: " + command + " (expected: one of " + NAMES + ")");
    }
  }

  /** A command sent inside MULTI: {@code +QUEUED}, or refused, which dooms the transaction. */
  RouterCommands.Step queue(Request request, RouterSession session) {
    RouterSession.Transaction open = session.transaction();
    String refusal = refusal(request, open);
    if (refusal != null) {
      if (open.failure == null) {
        open.failure = refusal;
      }
      return now(new Resp.Error(refusal));
    }
    return now(new Resp.Simple("QUEUED"));
  }

  /** Why the request cannot join the transaction (an error reply's text), or null once it has joined. */
  private String refusal(Request request, RouterSession.Transaction open) {
    if (transactions == Transactions.NONE) {
      return "ERR " + transactions.refusal(List.of());
    }
    Command command;
    try {
      command = parser.parseRequest(request);
    } catch (BadCommandException e) {
      return "ERR " + e.getMessage();
    }
    TransactionStep step = TransactionStep.of(command);
    if (step == null) {
      return "ERR " + request.arg(0) + " cannot be part of a transaction (expected: " + TransactionStep.ALLOWED + ")";
    }
    List<String> keys = new ArrayList<>();
    open.steps.forEach(s -> keys.addAll(s.keys()));
    keys.addAll(step.keys());
    String refused = transactions.refusal(keys);
    if (refused != null) {
      return "CROSSSLOT " + refused;
    }
    open.steps.add(step);
    return null;
  }

  private RouterCommands.Step exec(RouterSession.Transaction transaction) {
    if (transaction.failure != null) {
      return now(new Resp.Error("EXECABORT Transaction discarded because of previous errors: "
          + transaction.failure.substring(transaction.failure.indexOf(' ') + 1)));
    }
    if (transaction.steps.isEmpty()) {
      return now(new Resp.Array(List.of()));
    }
    List<String> keys = new ArrayList<>();
    List<Operation> operations = new ArrayList<>();
    boolean writes = false;
    for (TransactionStep step : transaction.steps) {
      keys.addAll(step.keys());
      operations.addAll(step.operations());
      writes |= step.writes();
    }
    List<TransactionStep> steps = List.copyOf(transaction.steps);
    return new RouterCommands.Step.Later(keys, writes ? KeyOrder.Mode.WRITE : KeyOrder.Mode.READ,
        () -> transactions.execute(operations).thenApply(result -> replies(steps, result)));
  }

  /** EXEC's array: each command's reply from its operations' outcomes; or why nothing was applied. */
  private static Resp replies(List<TransactionStep> steps, Transactions.Result result) {
    if (result instanceof Transactions.Result.NotApplied n) {
      return RespReplies.failure(n.why());
    }
    List<Outcome> outcomes = ((Transactions.Result.Applied) result).outcomes();
    List<Resp> replies = new ArrayList<>(steps.size());
    int at = 0;
    for (TransactionStep step : steps) {
      int n = step.operations().size();
      List<Outcome> own = at + n <= outcomes.size() ? outcomes.subList(at, at + n) : List.of();
      replies.add(RespReplies.of(step.command(), step.outcome(own)));
      at += n;
    }
    return new Resp.Array(replies);
  }

  private static Resp arity(String command, String usage) {
    return new Resp.Error("ERR wrong number of arguments for '" + command + "' command (expected: " + usage + ")");
  }

  private static RouterCommands.Step now(Resp resp) {
    return new RouterCommands.Step.Now(resp);
  }
}
