package kv.broker.eventual;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import kv.broker.catchup.HintStore;
import kv.broker.catchup.TombstonePurger;
import kv.broker.engine.Outcome;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.clock.HybridLogicalClock;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.resp.Resp;

/**
 * The replication rules of SPEC.md §6 over the servers' {@link Server}s: each key goes to
 * its k rendezvous replicas; writes carry a version from this broker's hybrid logical clock;
 * reads ask every live replica and answer with the newest version; a key none of whose replicas
 * could be asked is Unavailable, never NotFound; DELETE needs all k replicas up. Thread-safe;
 * futures complete on the servers' threads.
 */
final class Replication {
  private final Map<ServerAddress, Server> byAddress = new HashMap<>();
  private final Placement placement;
  private final HybridLogicalClock clock;
  private final RecordParser parser;
  private final HintStore hints;
  private final Consumer<ServerAddress> hintedWhileUp;
  private final ReplicaRead reads;
  private final TombstonePurger purger;

  /**
   * @param hints where writes a replica missed are kept
   * @param hintedWhileUp told when a hint was kept for a server that is UP again by then (its
   *     catch-up may already have drained the hints), so it is replayed now
   * @param purger told of every delete all k replicas applied, and of every write
   */
  Replication(List<? extends Server> servers, int k, HybridLogicalClock clock, RecordParser parser, HintStore hints,
      Consumer<ServerAddress> hintedWhileUp, TombstonePurger purger) {
    this.hints = hints;
    this.purger = purger;
    this.hintedWhileUp = hintedWhileUp;
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
   * DELETE: refused (nothing deleted) unless every replica is up and answers, and at least one
   * of them is trusted for the key (not catching up). Reads first (VGET
   * to all k), so a key that has no live value anywhere is NotFound and leaves no tombstones
   * behind; then writes a tombstone (VDEL) newer than every version seen to all k replicas.
   */
  CompletableFuture<Outcome> delete(String key) {
    List<Server> replicas = replicas(key);
    List<String> down = Fanout.down(replicas);
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
      return Fanout.ask(replicas, ServerRequests.vdel(key, version)).thenApply(replies -> {
        hintMissed(key, version, null, replicas, replies);
        if (replies.stream().allMatch(r -> r.resp() instanceof Resp.Int n && n.value() == 1)) {
          purger.deleted(key, version, replicas);
        }
        return deleted(key, replies);
      });
    });
  }

  private Outcome deleted(String key, List<Fanout.Reply> replies) {
    List<String> failed = new ArrayList<>();
    for (Fanout.Reply reply : replies) {
      if (reply.failure() != null) {
        failed.add(reply.address() + " (" + TransportException.reason(reply.failure()) + ")");
      } else if (reply.resp() instanceof Resp.Error e) {
        failed.add(reply.address() + " (" + e.text() + ")");
      } else if (!(reply.resp() instanceof Resp.Int)) {
        failed.add(reply.address() + " (unexpected reply to VDEL: " + reply.resp() + ")");
      }
    }
    if (failed.isEmpty()) {
      return new Outcome.Deleted(key);
    }
    return new Outcome.Failed("DELETE " + key + " reached " + (replies.size() - failed.size()) + " of "
        + replies.size() + " replicas; failed: " + String.join(", ", failed));
  }

  /**
   * PUT: writes {@code VPUT key version set} to the key's live replicas, the set as text the
   * parser has accepted (canonical or not: the servers parse it again and keep the set). A replica
   * that answers {@code :0} already holds a newer version (last writer wins) and counts as
   * acknowledged; an error reply makes the outcome Failed; a transport failure is simply not an
   * acknowledgement.
   */
  CompletableFuture<Outcome> put(String key, String text) {
    List<Server> replicas = replicas(key);
    List<Server> live = Fanout.live(replicas);
    if (live.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome.Written(key, 0, replicas.size()));
    }
    purger.written(key);
    long version = clock.next();
    List<byte[]> request = ServerRequests.vput(key, version, text);
    return Fanout.ask(live, request).thenApply(replies -> {
      hintMissed(key, version, text, replicas, replies);
      int acknowledged = 0;
      String error = null;
      for (Fanout.Reply reply : replies) {
        if (reply.resp() instanceof Resp.Int) {
          acknowledged++;
        } else if (reply.resp() instanceof Resp.Error e) {
          error = error != null ? error : "server " + reply.address() + ": " + e.text();
        } else if (reply.resp() != null) {
          error = error != null ? error : "server " + reply.address() + ": unexpected reply to VPUT: " + reply.resp();
        }
      }
      return error != null ? new Outcome.Failed(error) : new Outcome.Written(key, acknowledged, replicas.size());
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
   * Hinted handoff: when at least one replica acknowledged the write, every other replica (down,
   * or no reply) gets a hint to be replayed when it is UP again. An error reply is not hinted.
   * {@code key} is the name the hint is replayed under ({@code VPUT key version text}), an
   * append's internal name for an APPEND.
   */
  void hintMissed(String key, long version, String text, List<Server> replicas, List<Fanout.Reply> replies) {
    List<Server> acknowledged = new ArrayList<>();
    List<Server> refused = new ArrayList<>();
    for (Fanout.Reply reply : replies) {
      if (reply.resp() instanceof Resp.Int) {
        acknowledged.add(reply.server());
      } else if (reply.resp() != null) {
        refused.add(reply.server());
      }
    }
    if (acknowledged.isEmpty()) {
      return;
    }
    for (Server server : replicas) {
      if (!acknowledged.contains(server) && !refused.contains(server)) {
        hints.add(server.address(), key, version, text);
        // Checked after adding: either the server's next UP transition sees the hint, or it is
        // UP already and replays it now.
        if (server.isUp()) {
          hintedWhileUp.accept(server.address());
        }
      }
    }
  }
}
