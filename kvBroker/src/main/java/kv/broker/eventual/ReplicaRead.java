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
    List<Server> trustedWhenAsked = new ArrayList<>(live.size());
    for (Server server : live) {
      if (server.trustedFor(addresses)) {
        trustedWhenAsked.add(server);
      }
    }
    return Fanout.ask(live, request).thenApply(replies -> {
      Versioned newest = null;
      Server newestServer = null;
      boolean answered = false;
      String error = null;
      List<String> catchingUp = new ArrayList<>();
      List<Server> respondents = new ArrayList<>();
      List<Versioned> answers = new ArrayList<>();
      for (Fanout.Reply reply : replies) {
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
          if (!trustedWhenAsked.contains(reply.server()) || !reply.server().trustedFor(addresses)) {
            catchingUp.add(reply.address() + " (catching up)");
          } else {
            answered = true;
          }
          respondents.add(reply.server());
          answers.add(v);
          if (v != null) {
            clock.observe(v.version(), key, reply.server().address());
            if (v.newerThan(newest)) {
              newest = v;
              newestServer = reply.server();
            }
          }
        } catch (Versioned.MalformedReply e) {
          error = error != null ? error : "server " + reply.address() + ": " + e.getMessage();
        }
      }
      if (!answered) {
        unreachable.addAll(catchingUp);
      }
      if (repair) {
        repair(key, newest, newestServer, respondents, answers);
      }
      return new ReadResult(newest, answered, error, unreachable);
    });
  }

  private void repair(String key, Versioned newest, Server newestServer,
      List<Server> respondents, List<Versioned> answers) {
    if (newest == null) {
      return;
    }
    List<Server> stale = new ArrayList<>();
    for (int i = 0; i < respondents.size(); i++) {
      Versioned v = answers.get(i);
      if (v == null || newest.newerThan(v)) {
        stale.add(respondents.get(i));
      }
    }
    if (!stale.isEmpty()) {
      readRepair.repairFrom(key, newestServer, stale);
    }
  }
}
