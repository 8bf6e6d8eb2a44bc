package kv.broker.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.Outcome;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.Versioned;
import kv.cluster.ServerAddress;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;

/**
 * The read path of {@link Replication}: asks every live replica of a key (VGET or VQUERY), picks the
 * newest answer ({@link VersionOrder}: the newest version, a tie settled as the servers settle it)
 * and starts read repair of the replicas that answered something else. Thread-safe.
 */
final class ReplicaRead {
  private final ClockWatch clock;
  private final ReadRepair readRepair = new ReadRepair();

  ReplicaRead(ClockWatch clock) {
    this.clock = clock;
  }

  /** How many stale replicas read repair has updated. */
  long repairs() {
    return readRepair.repairs();
  }

  /**
   * What the live replicas said to a read: the newest version among the answers (null when none
   * had the key), whether any replica answered at all, the first error reply, and the replicas
   * that were down or failed.
   */
  record ReadResult(Versioned newest, boolean answered, String error, List<String> unreachable) {

    /** The final outcome, or null when the newest answer holds a value the caller turns into one. */
    Outcome outcome(String key, int k) {
      if (!answered) {
        // No replica could be checked (all down, or all failed meanwhile): never NotFound.
        return error != null ? new Outcome.Failed(error) : new Outcome.Unavailable(key, k, unreachable);
      }
      if (newest == null || newest.isTombstone()) {
        return new Outcome.NotFound(key);
      }
      return null;
    }
  }

  /**
   * Asks every live replica of the key and picks the newest answer. Only a replica that is not
   * catching up makes the answer authoritative ({@code answered}); replicas that answered an
   * older version or nothing get the newest one by read repair, after the answer.
   */
  CompletableFuture<ReadResult> read(String key, List<Server> replicas, List<byte[]> request,
      boolean wholeRecord) {
    return read(key, replicas, request, wholeRecord, true);
  }

  /**
   * As {@link #read(String, List, List, boolean)}, with read repair only when {@code repair}: a
   * read the broker makes for itself before a write (APPEND's type check) repairs nothing.
   */
  CompletableFuture<ReadResult> read(String key, List<Server> replicas, List<byte[]> request,
      boolean wholeRecord, boolean repair) {
    ReplicaCommand command = wholeRecord ? ReplicaCommand.VGET : ReplicaCommand.VQUERY;
    List<ServerAddress> addresses = new ArrayList<>(replicas.size());
    replicas.forEach(server -> addresses.add(server.address()));
    List<Server> live = Fanout.live(replicas);
    List<String> unreachable = Fanout.down(replicas);
    if (live.isEmpty()) {
      return CompletableFuture.completedFuture(new ReadResult(null, false, null, unreachable));
    }
    // Trusted when asked, not only when the last reply is in: a replica that becomes trusted while
    // the read waits for a slower one (its hints replayed meanwhile) answered from before that.
    boolean[] trustedWhenAsked = new boolean[live.size()];
    for (int i = 0; i < live.size(); i++) {
      trustedWhenAsked[i] = live.get(i).trustedFor(addresses);
    }
    return Fanout.ask(live, request).thenApply(replies -> {
      // Replies come in the order of `live`; answers[i] stays null for a replica that failed,
      // replied an error or never saw the key (responded[i] tells the last apart).
      Versioned[] answers = new Versioned[replies.size()];
      boolean[] responded = new boolean[replies.size()];
      int newestAt = -1;
      boolean answered = false;
      String error = null;
      List<String> catchingUp = null;
      for (int i = 0; i < replies.size(); i++) {
        Fanout.Reply reply = replies.get(i);
        if (reply.failure() != null) {
          unreachable.add(reply.address());
          continue;
        }
        if (reply.resp() instanceof Resp.Error e) {
          error = error != null ? error : "server " + reply.address() + ": " + e.text();
          continue;
        }
        try {
          Versioned v = Versioned.parse(command, reply.resp());
          if (!trustedWhenAsked[i] || !reply.server().trustedFor(addresses)) {
            catchingUp = catchingUp != null ? catchingUp : new ArrayList<>(1);
            catchingUp.add(reply.address() + " (catching up)");
          } else {
            answered = true;
          }
          responded[i] = true;
          answers[i] = v;
          if (v != null) {
            clock.observe(v.version(), key, reply.server().address());
            if (v.newerThan(newestAt < 0 ? null : answers[newestAt])) {
              newestAt = i;
            }
          }
        } catch (Versioned.MalformedReply e) {
          error = error != null ? error : "server " + reply.address() + ": " + e.getMessage();
        }
      }
      if (!answered && catchingUp != null) {
        unreachable.addAll(catchingUp);
      }
      if (repair && newestAt >= 0) {
        repair(key, replies, answers, responded, newestAt);
      }
      return new ReadResult(newestAt < 0 ? null : answers[newestAt], answered, error, unreachable);
    });
  }

  /** Read repair of the replicas that answered something older than the newest answer, or nothing. */
  private void repair(String key, List<Fanout.Reply> replies, Versioned[] answers, boolean[] responded,
      int newestAt) {
    Versioned newest = answers[newestAt];
    List<Server> stale = null;
    for (int i = 0; i < answers.length; i++) {
      if (responded[i] && (answers[i] == null || newest.newerThan(answers[i]))) {
        stale = stale != null ? stale : new ArrayList<>(1);
        stale.add(replies.get(i).server());
      }
    }
    if (stale != null) {
      readRepair.repairFrom(key, replies.get(newestAt).server(), stale);
    }
  }
}
