package kv.broker.strong;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.Operation;
import kv.broker.engine.Outcome;
import kv.broker.engine.Transactions;
import kv.raft.GroupLayout;
import kv.raft.StrongClient;
import kv.raft.Transaction;
import kv.record.RecordParser;
import kv.resp.Resp;

/**
 * MULTI/EXEC in strong mode: a transaction whose keys are all in one Raft group is sent as one
 * {@link Transaction}, a single request of that group's log, so its commands apply in order with
 * nothing in between, no read sees part of it, and it applies at most once; keys of several groups
 * are refused while the transaction is queued, naming the groups. Thread-safe.
 */
final class StrongTransactions implements Transactions {
  /*
   * EXEC's failure outcomes: NOQUORUM and TRYAGAIN mean nothing was applied; UNKNOWN (the group
   * took the transaction but its answer was lost) is passed as NotApplied too, with its own words:
   * it may or may not have been applied, and retrying it is safe (it carries a request id).
   */
  private final StrongClient client;
  private final GroupLayout layout;
  private final RecordParser parser;

  StrongTransactions(StrongClient client, RecordParser parser) {
    this.client = client;
    this.layout = client.layout();
    this.parser = parser;
  }

  @Override
  public String refusal(List<String> keys) {
    Map<Integer, List<String>> groups = new LinkedHashMap<>();
    for (String key : keys) {
      List<String> same = groups.computeIfAbsent(layout.groupOf(key), g -> new ArrayList<>());
      if (!same.contains(key)) {
        same.add(key);
      }
    }
    if (groups.size() <= 1) {
      return null;
    }
    StringBuilder b = new StringBuilder("the keys of this transaction are in ").append(groups.size())
        .append(" Raft groups (");
    String separator = "";
    for (Map.Entry<Integer, List<String>> e : groups.entrySet()) {
      b.append(separator).append("group ").append(e.getKey()).append(": ");
      List<String> shown = e.getValue().subList(0, Math.min(3, e.getValue().size()));
      b.append(String.join(", ", shown.stream().map(Outcome::displayKey).toList()));
      if (e.getValue().size() > shown.size()) {
        b.append(", ...");
      }
      separator = "; ";
    }
    return b.append("); a transaction is atomic only within one group (expected: keys of one group; with ")
        .append(layout.groupCount()).append(" groups a key's group is XXH64(key) mod ").append(layout.groupCount())
        .append("), and nothing was queued").toString();
  }

  @Override
  public CompletableFuture<Result> execute(List<Operation> operations) {
    List<String> keys = operations.stream().map(Operation::key).toList();
    String refused = refusal(keys);
    if (refused != null) {
      return CompletableFuture.completedFuture(new Result.NotApplied(new Outcome.Failed(refused)));
    }
    List<Transaction.Step> steps = new ArrayList<>(operations.size());
    for (Operation op : operations) {
      steps.add(step(op));
    }
    CompletableFuture<Resp> reply;
    try {
      reply = client.transaction(layout.groupOf(keys.get(0)), new Transaction(steps));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.handle((r, e) -> e != null ? new Result.NotApplied(StrongReplies.failure(e)) : result(operations, r));
  }

  private static Transaction.Step step(Operation op) {
    if (op instanceof Operation.Get g) {
      return new Transaction.Step(false, StrongEngine.args("GET", g.key()));
    } else if (op instanceof Operation.Query q) {
      return new Transaction.Step(false, StrongEngine.args("QUERY", q.path().toString()));
    } else if (op instanceof Operation.Put p) {
      return new Transaction.Step(true, StrongEngine.args("PUT", p.key(), p.setText()));
    } else if (op instanceof Operation.Delete d) {
      return new Transaction.Step(true, StrongEngine.args("DELETE", d.key()));
    }
    throw new IllegalArgumentException("operation: " + op + " (expected: GET, QUERY, PUT or DELETE)");
  }

  private Result result(List<Operation> operations, Resp reply) {
    if (!(reply instanceof Resp.Array a) || a.items().size() != operations.size()) {
      return new Result.NotApplied(StrongReplies.unexpected("a transaction of " + operations.size() + " operations",
          reply));
    }
    List<Outcome> outcomes = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      Resp r = a.items().get(i);
      if (op instanceof Operation.Get g) {
        outcomes.add(StrongReplies.get(g.key(), r));
      } else if (op instanceof Operation.Query q) {
        outcomes.add(StrongReplies.query(q.path(), r, parser));
      } else if (op instanceof Operation.Put p) {
        outcomes.add(StrongReplies.put(p.key(), r));
      } else {
        outcomes.add(StrongReplies.delete(op.key(), r));
      }
    }
    return new Result.Applied(outcomes);
  }
}
