package kv.broker.catchup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hinted handoff's second half, for any broker: pages through the hints one server (the holder)
 * keeps for another (the target, {@code VHINTS}), copies each key from the holder to the target
 * ({@link KeyCopy}) and then deletes the hint ({@code VHINTDEL}, which keeps a newer one). A hint
 * the target refuses with an error is kept and reported; a lost connection stops the replay,
 * which the catch-up runs again later. Counts what it replayed. Thread-safe; never blocks.
 */
final class HintReplay {
  private static final Logger log = LoggerFactory.getLogger(HintReplay.class);
  static final int PAGE = 256;

  /**
   * One replay's end: hints replayed and kept (refused by the target), and, when it stopped
   * early or kept some, why ({@code problem}). {@code drained}: the holder has none left for the
   * target.
   */
  record Result(long replayed, long kept, boolean drained, String problem) {}

  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /** Hints replayed so far. */
  long replayed() {
    return replayed.get();
  }

  /** Hints a target refused so far (each kept, and tried again later). */
  long refused() {
    return refused.get();
  }

  /** Replays every hint {@code holder} keeps for {@code target}; never fails (the result says how far it got). */
  CompletableFuture<Result> drain(Server holder, Server target) {
    return page(holder, target, "0", new long[2]);
  }

  private CompletableFuture<Result> page(Server holder, Server target, String cursor, long[] counts) {
    String of = target.address().toString();
    return send(holder, ServerRequests.vhints(of, cursor, PAGE)).thenCompose(reply -> {
      if (!(reply instanceof Resp.Array page && page.items().size() == 2
          && page.items().get(0) instanceof Resp.Bulk next && page.items().get(1) instanceof Resp.Array items)) {
        return done(counts, false, "the holder " + holder.address() + " answered VHINTS with " + reply
            + " (expected: *2 [$cursor, *[key, version ...]])");
      }
      List<CompletableFuture<String>> replays = new ArrayList<>();
      List<Resp> list = items.items();
      for (int i = 0; i + 1 < list.size(); i += 2) {
        if (list.get(i) instanceof Resp.Bulk key && list.get(i + 1) instanceof Resp.Int version) {
          replays.add(replay(holder, target, key.text(), version.value(), counts));
        }
      }
      return CompletableFuture.allOf(replays.toArray(new CompletableFuture<?>[0])).thenCompose(all -> {
        for (CompletableFuture<String> r : replays) {
          String stop = r.join();
          if (stop != null) {
            return done(counts, false, stop);
          }
        }
        if (!next.text().equals("0")) {
          return page(holder, target, next.text(), counts);
        }
        return done(counts, counts[1] == 0, counts[1] == 0 ? null
            : counts[1] + " hint(s) refused by " + target.address() + ", kept on " + holder.address());
      });
    }).exceptionally(error -> new Result(counts[0], counts[1], false,
        "the holder " + holder.address() + " failed: " + TransportException.reason(KeyCopy.unwrap(error))));
  }

  /** One hint: copied, then deleted; null when done or kept, else why the replay must stop. */
  private CompletableFuture<String> replay(Server holder, Server target, String key, long version, long[] counts) {
    return KeyCopy.copy(holder, target, key)
        .thenCompose(applied -> send(holder, ServerRequests.vhintdel(target.address().toString(), key, version)))
        .handle((reply, error) -> {
          if (error == null) {
            synchronized (counts) {
              counts[0]++;
            }
            replayed.incrementAndGet();
            return reply instanceof Resp.Error e ? "the holder " + holder.address() + " refused VHINTDEL: " + e.text()
                : null;
          }
          Throwable cause = KeyCopy.unwrap(error);
          if (cause instanceof KeyCopy.Failed failed && failed.side() == KeyCopy.Side.TARGET && failed.errorReply()) {
            synchronized (counts) {
              counts[1]++;
            }
            refused.incrementAndGet();
            log.warn("hint for {} kept on {}: {}", key, holder.address(), failed.getMessage());
            return null;
          }
          return cause instanceof KeyCopy.Failed failed ? failed.getMessage()
              : "replay of " + key + ": " + TransportException.reason(cause);
        });
  }

  private static CompletableFuture<Result> done(long[] counts, boolean drained, String problem) {
    synchronized (counts) {
      return CompletableFuture.completedFuture(new Result(counts[0], counts[1], drained, problem));
    }
  }

  private static CompletableFuture<Resp> send(Server server, List<byte[]> request) {
    try {
      return server.send(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
