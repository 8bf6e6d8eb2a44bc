package kv.broker.eventual;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kv.broker.catchup.CatchUp;
import kv.broker.catchup.TombstonePurger;
import kv.broker.engine.Outcome;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.resp.Resp;

/**
 * The replication rules of SPEC.md §6 over the servers' {@link Server}s: each key goes to
 * its k rendezvous replicas; writes carry a version from this broker's hybrid logical clock;
 * reads ask every live replica and answer with the newest version; a key none of whose replicas
 * could be asked is Unavailable, never NotFound; DELETE needs all k replicas up. A replica that
 * misses a write (down, unable to log, or silent) is owed it: the replicas that acknowledge keep
 * the hint, durably. Thread-safe; futures complete on the servers' threads.
 */
final class Replication {
  private final Map<ServerAddress, Server> byAddress = new HashMap<>();
  private final Placement placement;
  private final ClockWatch clock;
  private final RecordParser parser;
  private final CatchUp catchUp;
  private final ReplicaRead reads;
  private final TombstonePurger purger;

  /**
   * @param catchUp told of every hint a write left (it replays them as soon as the server can take them)
   * @param purger told of every delete all k replicas applied, and of every write
   */
  Replication(List<? extends Server> servers, int k, ClockWatch clock, RecordParser parser, CatchUp catchUp,
      TombstonePurger purger) {
    this.catchUp = catchUp;
    this.purger = purger;
    List<ServerAddress> addresses = new ArrayList<>();
    for (Server server : servers) {
      addresses.add(server.address());
      byAddress.put(server.address(), server);
    }
    this.placement = new Placement(addresses, k);
    this.clock = clock;
    this.reads = new ReplicaRead(clock);
    this.parser = parser;
  }

  int k() {
    return placement.k();
  }

  Placement placement() {
    return placement;
  }

  /** How many stale replicas read repair has updated. */
  long repairs() {
    return reads.repairs();
  }

  /** The key's k replicas, best rendezvous score first. */
  List<Server> replicas(String key) {
    List<Server> replicas = new ArrayList<>(placement.k());
    for (ServerAddress address : placement.replicas(key)) {
      replicas.add(byAddress.get(address));
    }
    return replicas;
  }

  CompletableFuture<Outcome> get(String key) {
    // The replica's text is the set's canonical print (kvServer stores parsed sets): passed on as is.
    return reads.read(key, replicas(key), ServerRequests.vget(key), true).thenApply(result -> {
      Outcome outcome = result.outcome(key, k());
      return outcome != null ? outcome : new Outcome.Found(key, result.newest().text());
    });
  }

  /**
   * GET without read repair, for the check before an APPEND ({@link AppendWrite}). Read repair
   * copies VGET's merged value as a PUT, which drops on the target the appends its source lacks;
   * concurrent appends make replicas differ all the time, so a repair from every APPEND's check
   * would lose elements (until read repair copies a key's entries rather than its merged value).
   */
  CompletableFuture<Outcome> check(String key) {
    return reads.read(key, replicas(key), ServerRequests.vget(key), true, false).thenApply(result -> {
      Outcome outcome = result.outcome(key, k());
      return outcome != null ? outcome : new Outcome.Found(key, result.newest().text());
    });
  }

  CompletableFuture<Outcome> query(Path path) {
    String key = path.key();
    return reads.read(key, replicas(key), ServerRequests.vquery(path.toString()), false).thenApply(result -> {
      Outcome outcome = result.outcome(key, k());
      if (outcome != null) {
        return outcome;
      }
      try {
        return new Outcome.QueryValue(path, parser.parseValue(result.newest().text()));
      } catch (RecordFormatException e) {
        return new Outcome.Failed("a replica of " + key + " returned a value that does not parse: " + e.getMessage());
      }
    });
  }

  /**
   * DELETE: refused (nothing deleted) unless every replica is up, can log and answers, and at
   * least one of them is trusted for the key (not catching up). Reads first (VGET to all k), so a
   * key that has no live value anywhere is NotFound and leaves no tombstones behind; then writes a
   * tombstone (VDEL) newer than every version seen to all k replicas.
   */
  CompletableFuture<Outcome> delete(String key) {
    List<Server> replicas = replicas(key);
    List<String> down = Fanout.down(replicas);
    for (Server server : replicas) {
      if (server.isUp() && !server.writable()) {
        down.add(server.address() + " (cannot write its log)");
      }
    }
    if (!down.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome.Refused(key, down));
    }
    return reads.read(key, replicas, ServerRequests.vget(key), true).thenCompose(result -> {
      if (!result.unreachable().isEmpty()) {
        return CompletableFuture.completedFuture(new Outcome.Refused(key, result.unreachable()));
      }
      if (result.error() != null) {
        return CompletableFuture.completedFuture(new Outcome.Failed(result.error()));
      }
      // (When only replicas catching up answered, they are listed as unreachable: Refused above.)
      Outcome outcome = result.outcome(key, k());
      if (outcome != null) {
        return CompletableFuture.completedFuture(outcome);
      }
      long version = clock.next();
      return write(key, version, "VDEL", (v, hinted) -> ServerRequests.clientWrite(key, v, null, hinted), replicas,
          List.of()).thenApply(written -> {
        if (written.applied().size() == replicas.size()) {
          purger.deleted(key, version, replicas);
        }
        return written.deleteOutcome(key, replicas.size());
      });
    });
  }

  /**
   * PUT: writes {@code VPUT key version set WITHVERSION} to the key's replicas that are UP and
   * can log, the set as text the parser has accepted (canonical or not: the servers parse it
   * again); the others (down, or unable to log) are named in {@code HINT}, so every replica that
   * takes the write also keeps a durable hint for them. A replica that answers the stored version
   * instead of {@code :1} holds a newer write: the broker's clock moves past it and the outcome
   * says the PUT lost (repeating it wins). An error reply makes the outcome Failed; a transport
   * failure is no acknowledgement (the replica is hinted afterwards).
   */
  CompletableFuture<Outcome> put(String key, String text) {
    return put(key, (version, hinted) -> ServerRequests.clientWrite(key, version, text, hinted));
  }

  /**
   * PUT of a set this broker has parsed: as {@link #put(String, String)}, but the set goes in its
   * packed form ({@code VPUT ... PACKED}), which the replicas check instead of parsing text again.
   * A set whose packed form is over the record size limit goes as text (the limit is the text's).
   */
  CompletableFuture<Outcome> put(String key, SetValue set) {
    byte[] packed = set.toPacked();
    if (packed.length > parser.limits().maxRecordBytes()) {
      return put(key, RecordPrinter.print(set));
    }
    return put(key, (version, hinted) -> ServerRequests.packedWrite(key, version, packed, hinted));
  }

  private CompletableFuture<Outcome> put(String key, WriteRequest request) {
    List<Server> replicas = replicas(key);
    List<Server> targets = new ArrayList<>(replicas.size());
    List<Server> missing = new ArrayList<>();
    for (Server server : replicas) {
      (server.writable() ? targets : missing).add(server);
    }
    if (targets.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome.Written(key, 0, replicas.size()));
    }
    purger.written(key);
    long version = clock.next();
    return write(key, version, "VPUT", request, targets, missing)
        .thenApply(written -> written.putOutcome(key, version, replicas.size()));
  }

  /** A write's request for its version and the servers its replicas keep hints for. */
  private interface WriteRequest {
    List<byte[]> of(long version, List<String> hinted);
  }

  /**
   * Sends the write ({@code verb}: VPUT or VDEL) to {@code targets} with hints for {@code
   * missing}; then, if some targets did not answer or could not log, asks the ones that took it to
   * keep hints for those too ({@code VHINT}).
   */
  private CompletableFuture<Written> write(String key, long version, String verb, WriteRequest request,
      List<Server> targets, List<Server> missing) {
    List<String> hinted = new ArrayList<>(missing.size());
    missing.forEach(s -> hinted.add(s.address().toString()));
    return Fanout.ask(targets, request.of(version, hinted)).thenCompose(replies -> {
      Written written = new Written(clock, version);
      for (Fanout.Reply reply : replies) {
        written.add(reply, key, verb);
      }
      List<Server> took = written.took();
      for (Server holder : took) {
        for (Server target : missing) {
          catchUp.hinted(holder.address(), target.address());
        }
      }
      if (written.late.isEmpty() || took.isEmpty()) {
        return CompletableFuture.completedFuture(written);
      }
      return hintLate(key, version, took, written.late, written);
    });
  }

  /** Asks the replicas that took the write to keep hints for the ones that did not answer it. */
  private CompletableFuture<Written> hintLate(String key, long version, List<Server> took, List<Server> late,
      Written written) {
    return hint(key, version, took, late).thenApply(error -> {
      written.hintError = error == null ? null : error + "; repeat the write";
      return written;
    });
  }

  /**
   * The version of a write built outside this class ({@link AppendWrite}): from this broker's
   * clock, newer than every version it has seen; the tombstone purger hears of the write.
   */
  long writeVersion(String key) {
    purger.written(key);
    return clock.next();
  }

  /**
   * Asks the replicas that {@code took} a write of {@code key} to keep durable hints for the ones
   * that {@code missed} it ({@code VHINT}; the replay copies every entry of the key, appends
   * included). Completes with null once one of them keeps it, else with what to tell the user.
   */
  CompletableFuture<String> hint(String key, long version, List<Server> took, List<Server> missed) {
    List<String> names = new ArrayList<>(missed.size());
    missed.forEach(s -> names.add(s.address().toString()));
    return Fanout.ask(took, ServerRequests.vhint(key, version, names)).thenApply(replies -> {
      boolean kept = false;
      for (Fanout.Reply reply : replies) {
        if (reply.resp() instanceof Resp.Int) {
          kept = true;
          for (Server target : missed) {
            catchUp.hinted(reply.server().address(), target.address());
          }
        }
      }
      return kept ? null : "the write of " + Outcome.displayKey(key) + " reached " + took.size()
          + " replica(s), but none of them could keep the hint for " + String.join(", ", names)
          + ", which missed it: it may never get it";
    });
  }

  /** The start of the error a server answers a write its log cannot take (a full disk). */
  static final String LOG_REFUSED = "ERR write refused";
}
