package kv.broker.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an engine offers for MULTI/EXEC: whether a set of keys can be one transaction, and the
 * atomic execution of one. The default, {@link #NONE}, refuses every transaction (the eventual
 * engine: its replicas apply each write on its own, so nothing could isolate a transaction); a
 * strong engine can run one whose keys are all in one Raft group. Implementations are
 * thread-safe.
 */
public interface Transactions {
  /*
   * The router asks refusal() as each command is queued (with every key queued so far), so a
   * client learns at once, as Redis Cluster answers CROSSSLOT while queueing, and EXEC is then
   * EXECABORT with nothing applied. Nothing is ever queued and applied without isolation.
   */

  /** Refuses every transaction. */
  Transactions NONE = new Transactions() {
    @Override
    public String refusal(List<String> keys) {
      return "MULTI is not supported in eventual mode: the replicas apply each write on its own, so a"
          + " transaction cannot be isolated and nothing was queued; send the commands without MULTI/EXEC"
          + " (redis-py: pipeline(transaction=False); a connection's commands keep their order), or use strong"
          + " mode, where a transaction on keys of one Raft group is atomic";
    }

    @Override
    public CompletableFuture<Result> execute(List<Operation> operations) {
      return CompletableFuture.completedFuture(new Result.NotApplied(new Outcome.Failed(refusal(List.of()))));
    }
  };

  /** What became of a transaction. Immutable. */
  sealed interface Result {
    /** It took effect: one outcome per operation, in order. */
    record Applied(List<Outcome> outcomes) implements Result {
      public Applied {
        outcomes = List.copyOf(outcomes);
      }
    }

    /**
     * Nothing of it took effect, and why (Failed, Unavailable or Refused, with their words); or
     * (strong mode, an Unanswered UNKNOWN) its answer was lost and it may or may not have, as its
     * words say.
     */
    record NotApplied(Outcome why) implements Result {}
  }

  /**
   * Null when {@code keys} (every key of a transaction so far, repeats allowed) can be one
   * transaction; else the words of the refusal (e.g. the keys are in different groups).
   */
  String refusal(List<String> keys);

  /**
   * Runs {@code operations} (whose keys {@link #refusal} accepted) as one atomic step: every other
   * client sees all of its writes or none, and its reads see no other client's writes in between.
   * Never completes exceptionally: a transaction that did not take effect is {@link Result.NotApplied}.
   */
  CompletableFuture<Result> execute(List<Operation> operations);
}
