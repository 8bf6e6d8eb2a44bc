package kv.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kv.clock.HybridLogicalClock;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.resp.Resp;

/**
 * The replication rules of SPEC.md §6 over the servers' {@link ServerLink}s: each key goes to
 * its k rendezvous replicas; writes carry a version from this broker's hybrid logical clock;
 * reads ask every live replica and answer with the newest version; a key none of whose replicas
 * could be asked is Unavailable, never NotFound; DELETE needs all k replicas up. Thread-safe;
 * futures complete on the links' threads.
 */
final class Cluster {
  private final Map<ServerAddress, ServerLink> links = new HashMap<>();
  private final Placement placement;
  private final HybridLogicalClock clock;
  private final RecordParser parser;

  /** One replica's answer: a reply, or the transport failure that replaced it. */
  private record Reply(ServerLink link, Resp resp, Throwable failure) {
    String server() {
      return link.address().toString();
    }
  }

  Cluster(List<? extends ServerLink> servers, int k, HybridLogicalClock clock, RecordParser parser) {
    List<ServerAddress> addresses = new ArrayList<>();
    for (ServerLink link : servers) {
      addresses.add(link.address());
      links.put(link.address(), link);
    }
    this.placement = new Placement(addresses, k);
    this.clock = clock;
    this.parser = parser;
  }

  int k() {
    return placement.k();
  }

  /** The key's k replicas, best rendezvous score first. */
  List<ServerLink> replicas(String key) {
    List<ServerLink> replicas = new ArrayList<>(placement.k());
    for (ServerAddress address : placement.replicas(key)) {
      replicas.add(links.get(address));
    }
    return replicas;
  }

  CompletableFuture<Outcome> get(String key) {
    return read(key, Commands.vget(key), "VGET").thenApply(result -> {
      Outcome outcome = result.outcome(key, k());
      if (outcome != null) {
        return outcome;
      }
      try {
        return new Outcome.Found(new Record(key, parser.parseSet(result.newest().text())));
      } catch (RecordFormatException e) {
        return new Outcome.Failed("a replica of " + key + " returned a record that does not parse: " + e.getMessage());
      }
    });
  }

  CompletableFuture<Outcome> query(Path path) {
    String key = path.key();
    return read(key, Commands.vquery(path.toString()), "VQUERY").thenApply(result -> {
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
   * What the live replicas said to a read: the newest version among the answers (null when none
   * had the key), whether any replica answered at all, the first error reply, and the replicas
   * that were down or failed.
   */
  private record ReadResult(Versioned newest, boolean answered, String error, List<String> unreachable) {

    /** The final outcome, or null when the newest answer holds a value the caller turns into one. */
    Outcome outcome(String key, int k) {
      if (!answered) {
        // No replica could be checked (all down, or all failed meanwhile): never NotFound.
        return error != null ? new Outcome.Failed(error) : new Outcome.Unavailable(key, k, unreachable);
      }
      if (newest == null || newest.text() == null) {
        return new Outcome.NotFound(key);
      }
      return null;
    }
  }

  /** Asks every live replica of the key and picks the newest answer. */
  private CompletableFuture<ReadResult> read(String key, List<byte[]> request, String command) {
    List<ServerLink> replicas = replicas(key);
    List<ServerLink> live = live(replicas);
    List<String> unreachable = new ArrayList<>();
    for (ServerLink link : replicas) {
      if (!link.isUp()) {
        unreachable.add(link.address().toString());
      }
    }
    if (live.isEmpty()) {
      return CompletableFuture.completedFuture(new ReadResult(null, false, null, unreachable));
    }
    return ask(live, request).thenApply(replies -> {
      Versioned newest = null;
      boolean answered = false;
      String error = null;
      for (Reply reply : replies) {
        if (reply.failure() != null) {
          unreachable.add(reply.server());
          continue;
        }
        if (reply.resp() instanceof Resp.Error e) {
          error = error != null ? error : "server " + reply.server() + ": " + e.text();
          continue;
        }
        try {
          Versioned v = Versioned.parse(command, reply.resp());
          answered = true;
          if (v != null) {
            clock.observe(v.version());
            if (v.newerThan(newest)) {
              newest = v;
            }
          }
        } catch (Versioned.MalformedReply e) {
          error = error != null ? error : "server " + reply.server() + ": " + e.getMessage();
        }
      }
      return new ReadResult(newest, answered, error, unreachable);
    });
  }

  /**
   * DELETE: refused (nothing deleted) unless every replica is up and answers. Reads first (VGET
   * to all k), so a key that has no live value anywhere is NotFound and leaves no tombstones
   * behind; then writes a tombstone (VDEL) newer than every version seen to all k replicas.
   */
  CompletableFuture<Outcome> delete(String key) {
    List<ServerLink> replicas = replicas(key);
    List<String> down = new ArrayList<>();
    for (ServerLink link : replicas) {
      if (!link.isUp()) {
        down.add(link.address().toString());
      }
    }
    if (!down.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome.Refused(key, down));
    }
    return read(key, Commands.vget(key), "VGET").thenCompose(result -> {
      if (!result.unreachable().isEmpty()) {
        return CompletableFuture.completedFuture(new Outcome.Refused(key, result.unreachable()));
      }
      if (result.error() != null) {
        return CompletableFuture.completedFuture(new Outcome.Failed(result.error()));
      }
      Outcome outcome = result.outcome(key, k());
      if (outcome != null) {
        return CompletableFuture.completedFuture(outcome);
      }
      long version = clock.next();
      return ask(replicas, Commands.vdel(key, version)).thenApply(replies -> deleted(key, replies));
    });
  }

  private Outcome deleted(String key, List<Reply> replies) {
    List<String> failed = new ArrayList<>();
    for (Reply reply : replies) {
      if (reply.failure() != null) {
        failed.add(reply.server() + " (" + TransportException.reason(reply.failure()) + ")");
      } else if (reply.resp() instanceof Resp.Error e) {
        failed.add(reply.server() + " (" + e.text() + ")");
      } else if (!(reply.resp() instanceof Resp.Int)) {
        failed.add(reply.server() + " (unexpected reply to VDEL: " + reply.resp() + ")");
      }
    }
    if (failed.isEmpty()) {
      return new Outcome.Deleted(key);
    }
    return new Outcome.Failed("DELETE " + key + " reached " + (replies.size() - failed.size()) + " of "
        + replies.size() + " replicas; failed: " + String.join(", ", failed));
  }

  /**
   * PUT: writes {@code VPUT key version set} to the key's live replicas. A replica that answers
   * {@code :0} already holds a newer version (last writer wins) and counts as acknowledged; an
   * error reply makes the outcome Failed; a transport failure is simply not an acknowledgement.
   */
  CompletableFuture<Outcome> put(Record record) {
    String key = record.key();
    List<ServerLink> replicas = replicas(key);
    List<ServerLink> live = live(replicas);
    if (live.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome.Written(key, 0, replicas.size()));
    }
    List<byte[]> request = Commands.vput(key, clock.next(), RecordPrinter.print(record.value()));
    return ask(live, request).thenApply(replies -> {
      int acknowledged = 0;
      String error = null;
      for (Reply reply : replies) {
        if (reply.resp() instanceof Resp.Int) {
          acknowledged++;
        } else if (reply.resp() instanceof Resp.Error e) {
          error = error != null ? error : "server " + reply.server() + ": " + e.text();
        } else if (reply.resp() != null) {
          error = error != null ? error : "server " + reply.server() + ": unexpected reply to VPUT: " + reply.resp();
        }
      }
      return error != null ? new Outcome.Failed(error) : new Outcome.Written(key, acknowledged, replicas.size());
    });
  }

  private static List<ServerLink> live(List<ServerLink> replicas) {
    List<ServerLink> live = new ArrayList<>(replicas.size());
    for (ServerLink link : replicas) {
      if (link.isUp()) {
        live.add(link);
      }
    }
    return live;
  }

  private static List<String> names(List<ServerLink> links) {
    List<String> names = new ArrayList<>(links.size());
    for (ServerLink link : links) {
      names.add(link.address().toString());
    }
    return names;
  }

  private static CompletableFuture<List<Reply>> ask(List<ServerLink> targets, List<byte[]> request) {
    List<CompletableFuture<Reply>> replies = new ArrayList<>(targets.size());
    for (ServerLink link : targets) {
      CompletableFuture<Resp> sent;
      try {
        sent = link.send(request);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      replies.add(sent.handle((resp, failure) -> new Reply(link, resp, unwrap(failure))));
    }
    return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      List<Reply> list = new ArrayList<>(replies.size());
      for (CompletableFuture<Reply> reply : replies) {
        list.add(reply.join());
      }
      return list;
    });
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
