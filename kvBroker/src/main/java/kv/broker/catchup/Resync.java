package kv.broker.catchup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.record.AppendKeys;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy for one server (the target): walks every other server's keys with their versions
 * ({@code VKEYS}), keeps the keys whose replicas include both the target and that server, asks the
 * target for its versions of them ({@code VVERSIONS}) and copies only what it lacks or holds
 * older ({@link KeyCopy}). A failure on a peer's side leaves that peer's part incomplete (and is
 * reported as that peer's); one on the target's side stops the run. Stateless between runs;
 * thread-safe; never blocks.
 */
final class Resync {
  /*
   * Copies only from the key's own replicas: a server the key has left (the server file changed)
   * may keep an old copy, and after a DELETE whose tombstones were purged nothing on the replicas
   * would stop that copy from coming back. Reads ignore such copies for the same reason.
   */
  private static final Logger log = LoggerFactory.getLogger(Resync.class);

  /** {@code reached}: the servers walked to the end (this run's and {@code done}); complete when all others were. */
  record Result(boolean complete, Set<ServerAddress> reached, long compared, long copied) {}

  /** The target failed, went down or was superseded by a newer UP period: stop. */
  static final class Aborted extends Exception {
    private static final long serialVersionUID = 1L;

    Aborted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The peer failed or answered nonsense: this peer's part is incomplete. */
  private static final class PeerFailed extends Exception {
    private static final long serialVersionUID = 1L;

    PeerFailed(String message) {
      super(message);
    }
  }

  private final List<? extends Server> servers;
  private final Placement placement;
  private final int pageSize;

  Resync(List<? extends Server> servers, Placement placement, int pageSize) {
    this.servers = List.copyOf(servers);
    this.placement = placement;
    this.pageSize = pageSize;
  }

  /**
   * Resyncs {@code target} from every other server not in {@code done} (already compared in this
   * UP period), one after the other; fails with {@link Aborted} when the target fails or
   * {@code current} turns false.
   */
  CompletableFuture<Result> run(Server target, Set<ServerAddress> done, BooleanSupplier current) {
    Set<ServerAddress> reached = new LinkedHashSet<>(done);
    long[] counts = new long[2];
    boolean[] complete = {true};
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Server peer : servers) {
      if (peer == target || done.contains(peer.address())) {
        continue;
      }
      chain = chain.thenCompose(previous -> {
        if (!peer.isUp()) {
          complete[0] = false;
          return CompletableFuture.completedFuture(null);
        }
        return copyFrom(peer, target, current, counts, "0").handle((ok, error) -> {
          Throwable cause = error == null ? null : KeyCopy.unwrap(error);
          if (cause == null) {
            reached.add(peer.address());
          } else if (cause instanceof PeerFailed) {
            log.info("resync of {} from {} incomplete: {} failed: {}", target.address(), peer.address(), peer.address(),
                cause.getMessage());
            complete[0] = false;
          } else {
            throw new java.util.concurrent.CompletionException(cause);
          }
          return null;
        });
      });
    }
    return chain.thenApply(ok -> new Result(complete[0], reached, counts[0], counts[1]));
  }

  private CompletableFuture<Void> copyFrom(Server peer, Server target, BooleanSupplier current, long[] counts,
      String cursor) {
    if (!current.getAsBoolean()) {
      return CompletableFuture.failedFuture(
          new Aborted("the target " + target.address() + " is no longer in the same UP period", null));
    }
    return fromPeer(peer, ServerRequests.vkeys(cursor, pageSize)).thenCompose(reply -> {
      if (!(reply instanceof Resp.Array page && page.items().size() == 2
          && page.items().get(0) instanceof Resp.Bulk next && page.items().get(1) instanceof Resp.Array items)) {
        return CompletableFuture.failedFuture(new PeerFailed("unexpected reply to VKEYS: " + reply
            + " (expected: *2 [$cursor, *[key, version ...]])"));
      }
      List<String> keys = new ArrayList<>();
      List<Long> versions = new ArrayList<>();
      List<Resp> list = items.items();
      for (int i = 0; i + 1 < list.size(); i += 2) {
        if (list.get(i) instanceof Resp.Bulk key && list.get(i + 1) instanceof Resp.Int version) {
          List<ServerAddress> replicas = placement.replicas(AppendKeys.userKey(key.text()));
          if (replicas.contains(target.address()) && replicas.contains(peer.address())) {
            keys.add(key.text());
            versions.add(version.value());
          }
        }
      }
      CompletableFuture<Void> copied = keys.isEmpty() ? CompletableFuture.completedFuture(null)
          : copyStale(peer, target, keys, versions, counts);
      return copied.thenCompose(done -> next.text().equals("0") ? CompletableFuture.completedFuture(null)
          : copyFrom(peer, target, current, counts, next.text()));
    });
  }

  private CompletableFuture<Void> copyStale(Server peer, Server target, List<String> keys, List<Long> versions,
      long[] counts) {
    return fromTarget(target, ServerRequests.vversions(keys)).thenCompose(reply -> {
      if (!(reply instanceof Resp.Array have && have.items().size() == keys.size())) {
        return CompletableFuture.failedFuture(
            new Aborted("unexpected reply of " + target.address() + " to VVERSIONS: " + reply, null));
      }
      synchronized (counts) {
        counts[0] += keys.size();
      }
      List<CompletableFuture<Integer>> copies = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        long theirs = have.items().get(i) instanceof Resp.Int v ? v.value() : -1;
        if (versions.get(i) > theirs) {
          copies.add(KeyCopy.copy(peer, target, keys.get(i)).exceptionallyCompose(error -> {
            Throwable cause = KeyCopy.unwrap(error);
            if (cause instanceof KeyCopy.Failed failed && failed.side() == KeyCopy.Side.SOURCE) {
              return CompletableFuture.failedFuture(new PeerFailed(failed.getMessage()));
            }
            return CompletableFuture.failedFuture(new Aborted("the target " + target.address() + " failed: "
                + (cause instanceof KeyCopy.Failed ? cause.getMessage() : TransportException.reason(cause)), cause));
          }));
        }
      }
      return CompletableFuture.allOf(copies.toArray(new CompletableFuture<?>[0])).thenRun(() -> {
        long applied = 0;
        for (CompletableFuture<Integer> c : copies) {
          applied += c.join() > 0 ? 1 : 0;
        }
        synchronized (counts) {
          counts[1] += applied;
        }
      });
    });
  }

  private static CompletableFuture<Resp> fromPeer(Server peer, List<byte[]> request) {
    return send(peer, request).handle((reply, error) -> {
      if (error != null) {
        throw new java.util.concurrent.CompletionException(new PeerFailed(TransportException.reason(KeyCopy.unwrap(error))));
      }
      if (reply instanceof Resp.Error e) {
        throw new java.util.concurrent.CompletionException(new PeerFailed(e.text()));
      }
      return reply;
    });
  }

  private static CompletableFuture<Resp> fromTarget(Server target, List<byte[]> request) {
    return send(target, request).handle((reply, error) -> {
      if (error != null) {
        Throwable cause = KeyCopy.unwrap(error);
        throw new java.util.concurrent.CompletionException(
            new Aborted("the target " + target.address() + " failed: " + TransportException.reason(cause), cause));
      }
      return reply;
    });
  }

  private static CompletableFuture<Resp> send(Server server, List<byte[]> request) {
    try {
      return server.send(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
