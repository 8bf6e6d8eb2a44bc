package kv.broker.catchup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.broker.transport.Versioned;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy for one server (the target): walks every other server's keys with their versions
 * ({@code VKEYS}), keeps the keys whose replicas include the target, asks the target for its
 * versions of them ({@code VVERSIONS}) and copies only what it lacks or holds older ({@code VGET}
 * from the peer, {@code VPUT}/{@code VDEL} to the target; version-checked, so racing writes are
 * safe). Blocking: runs on the catch-up thread. Stateless between runs; thread-safe.
 */
final class Resync {
  private static final Logger log = LoggerFactory.getLogger(Resync.class);

  /** {@code reached}: the servers walked to the end (this run's and {@code done}); complete when all others were. */
  record Result(boolean complete, Set<ServerAddress> reached, long compared, long copied) {}

  /** The target went down or was superseded by a newer UP period: stop. */
  static final class Aborted extends Exception {
    private static final long serialVersionUID = 1L;

    Aborted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final List<? extends Server> servers;
  private final Placement placement;
  private final long timeoutMillis;
  private final int pageSize;

  Resync(List<? extends Server> servers, Placement placement, long timeoutMillis, int pageSize) {
    this.servers = List.copyOf(servers);
    this.placement = placement;
    this.timeoutMillis = timeoutMillis;
    this.pageSize = pageSize;
  }

  /** Resyncs {@code target} from every other server not in {@code done} (already compared in this UP period). */
  Result run(Server target, Set<ServerAddress> done, BooleanSupplier current) throws Aborted, InterruptedException {
    boolean complete = true;
    Set<ServerAddress> reached = new HashSet<>(done);
    long[] counts = new long[2];
    for (Server peer : servers) {
      if (peer == target || done.contains(peer.address())) {
        continue;
      }
      if (!peer.isUp()) {
        complete = false;
        continue;
      }
      try {
        copyFrom(peer, target, current, counts);
        reached.add(peer.address());
      } catch (PeerFailed e) {
        log.info("resync of {} from {} incomplete: {}", target.address(), peer.address(), e.getMessage());
        complete = false;
      }
    }
    return new Result(complete, reached, counts[0], counts[1]);
  }

  /** The peer failed or answered nonsense: this peer's part is incomplete. */
  private static final class PeerFailed extends Exception {
    private static final long serialVersionUID = 1L;

    PeerFailed(String message) {
      super(message);
    }
  }

  private void copyFrom(Server peer, Server target, BooleanSupplier current, long[] counts)
      throws PeerFailed, Aborted, InterruptedException {
    String cursor = "0";
    do {
      if (!current.getAsBoolean()) {
        throw new Aborted("the target " + target.address() + " is no longer in the same UP period", null);
      }
      Resp reply = fromPeer(peer, peer.send(ServerRequests.vkeys(cursor, pageSize)));
      if (!(reply instanceof Resp.Array page && page.items().size() == 2
          && page.items().get(0) instanceof Resp.Bulk next && page.items().get(1) instanceof Resp.Array items)) {
        throw new PeerFailed("unexpected reply to VKEYS: " + reply + " (expected: *2 [$cursor, *[key, version ...]])");
      }
      cursor = next.text();
      List<String> keys = new ArrayList<>();
      List<Long> versions = new ArrayList<>();
      List<Resp> list = items.items();
      for (int i = 0; i + 1 < list.size(); i += 2) {
        if (list.get(i) instanceof Resp.Bulk key && list.get(i + 1) instanceof Resp.Int version) {
          if (placement.replicas(key.text()).contains(target.address())) {
            keys.add(key.text());
            versions.add(version.value());
          }
        }
      }
      if (!keys.isEmpty()) {
        counts[0] += keys.size();
        counts[1] += copyStale(peer, target, keys, versions);
      }
    } while (!cursor.equals("0"));
  }

  private long copyStale(Server peer, Server target, List<String> keys, List<Long> versions)
      throws PeerFailed, Aborted, InterruptedException {
    Resp reply = fromTarget(target, target.send(ServerRequests.vversions(keys)));
    if (!(reply instanceof Resp.Array have && have.items().size() == keys.size())) {
      throw new Aborted("unexpected reply of " + target.address() + " to VVERSIONS: " + reply, null);
    }
    List<CompletableFuture<Boolean>> copies = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      long theirs = have.items().get(i) instanceof Resp.Int v ? v.value() : -1;
      if (versions.get(i) > theirs) {
        copies.add(copy(peer, target, keys.get(i)));
      }
    }
    long copied = 0;
    for (CompletableFuture<Boolean> copy : copies) {
      if (Boolean.TRUE.equals(fromTarget(target, copy))) {
        copied++;
      }
    }
    return copied;
  }

  /** VGET from the peer, then VPUT or VDEL of that version to the target; true when applied. */
  private static CompletableFuture<Boolean> copy(Server peer, Server target, String key) {
    return peer.send(ServerRequests.vget(key)).thenCompose(reply -> {
      Versioned v;
      try {
        v = Versioned.parse(ReplicaCommand.VGET, reply);
      } catch (Versioned.MalformedReply e) {
        return CompletableFuture.failedFuture(e);
      }
      if (v == null) {
        return CompletableFuture.completedFuture(false);
      }
      List<byte[]> write = ServerRequests.write(key, v.version(), v.text());
      return target.send(write).thenApply(r -> r instanceof Resp.Int applied && applied.value() == 1);
    });
  }

  private <T> T fromPeer(Server peer, CompletableFuture<T> future) throws PeerFailed, InterruptedException {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new PeerFailed(TransportException.reason(e.getCause() != null ? e.getCause() : e));
    }
  }

  private <T> T fromTarget(Server target, CompletableFuture<T> future) throws Aborted, InterruptedException {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new Aborted("the target " + target.address() + " failed: " + TransportException.reason(cause), cause);
    }
  }
}
