package kv.broker.eventual;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.Versioned;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read repair: after a read has been answered, sends the newest version to the replicas that
 * answered an older version or nothing, asynchronously (never delays the answer). VPUT/VDEL are
 * version-checked, so a repair racing a newer write is harmless. Counts repairs. Thread-safe.
 */
final class ReadRepair {
  private static final Logger log = LoggerFactory.getLogger(ReadRepair.class);

  private final AtomicLong repairs = new AtomicLong();

  /** How many stale replicas were sent a newer version. */
  long repairs() {
    return repairs.get();
  }

  /**
   * Repairs {@code stale} with the record or tombstone {@code newest} (a VGET answer: the whole
   * record's text, or null for a tombstone).
   */
  void repair(String key, Versioned newest, List<Server> stale) {
    for (Server server : stale) {
      send(server, key, ServerRequests.write(key, newest.version(), newest.text()));
    }
  }

  /**
   * Repairs {@code stale} after a read whose answers were not whole records (VQUERY): fetches the
   * record from {@code source}, the replica that had the newest version, first.
   */
  void repairFrom(String key, Server source, List<Server> stale) {
    CompletableFuture<Resp> fetched;
    try {
      fetched = source.send(ServerRequests.vget(key));
    } catch (RuntimeException e) {
      return;
    }
    fetched.thenAccept(reply -> {
      try {
        Versioned v = Versioned.parse(ReplicaCommand.VGET, reply);
        if (v != null) {
          repair(key, v, stale);
        }
      } catch (Versioned.MalformedReply e) {
        log.debug("read repair of {} skipped: {}", key, e.getMessage());
      }
    });
  }

  private void send(Server server, String key, List<byte[]> request) {
    try {
      server.send(request).whenComplete((reply, error) -> {
        if (reply instanceof Resp.Int applied && applied.value() == 1) {
          repairs.incrementAndGet();
          log.debug("read repair: {} got the newest version of {}", server.address(), key);
        }
      });
    } catch (RuntimeException e) {
      log.debug("read repair of {} on {} not sent: {}", key, server.address(), e.getMessage());
    }
  }
}
