package kv.broker.catchup;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.health.WatchedServer;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catch-up's resyncs ({@link Resync}) and what they report: in a server's catch-up pass when
 * it lost data, and once in the background after a restart that kept its data; counts the records
 * they copied. Logs under {@link CatchUp}'s logger. Thread-safe.
 */
final class Resyncs {
  private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

  /** Servers whose restart asks for a background resync, with the UP period it is for. */
  private final Map<ServerAddress, Integer> background = new ConcurrentHashMap<>();
  private final AtomicLong copied = new AtomicLong();
  private volatile Resync resync;
  private volatile boolean closed;

  /** Sets the servers and their placement; called once before any server starts. */
  void bind(List<WatchedServer> servers, Placement placement, int pageSize) {
    this.resync = new Resync(servers, placement, pageSize);
  }

  /** Records copied by resyncs so far. */
  long copied() {
    return copied.get();
  }

  /** {@code server} restarted with its data in the UP period {@code epoch}: compare it once it is trusted. */
  void inBackgroundOnceTrusted(ServerAddress server, int epoch) {
    background.put(server, epoch);
  }

  /**
   * Resyncs {@code server} from the servers not in {@code resynced} (adding those it reached);
   * sets {@code incomplete[0]} when some could not be read or the resync stopped.
   */
  CompletableFuture<Void> run(WatchedServer server, int epoch, Set<ServerAddress> resynced, boolean[] incomplete) {
    ServerAddress address = server.address();
    return resync.run(server, Set.copyOf(resynced), () -> server.isCurrent(epoch)).handle((result, error) -> {
      if (error != null) {
        incomplete[0] = true;
        log.info("resync of {} stopped: {}", address, KeyCopy.unwrap(error).getMessage());
        return null;
      }
      copied.addAndGet(result.copied());
      resynced.addAll(result.reached());
      if (result.copied() > 0 || !result.complete()) {
        log.info("resync of {}: {} keys compared, {} copied{}", address, result.compared(), result.copied(),
            result.complete() ? "" : " (incomplete: not every other server could be read; will retry)");
      }
      if (!result.complete()) {
        incomplete[0] = true;
      }
      return null;
    });
  }

  /** After a restart that kept its data: compared once with every other server, in the background. */
  void background(WatchedServer server, int epoch) {
    if (!background.remove(server.address(), epoch) || closed) {
      return;
    }
    resync.run(server, Set.of(), () -> server.isCurrent(epoch)).whenComplete((result, error) -> {
      if (error != null) {
        log.info("background resync of {} stopped: {}", server.address(), KeyCopy.unwrap(error).getMessage());
      } else {
        copied.addAndGet(result.copied());
        if (result.copied() > 0 || !result.complete()) {
          log.info("background resync of {}: {} keys compared, {} copied{}", server.address(), result.compared(),
              result.copied(), result.complete() ? "" : " (incomplete: not every other server could be read)");
        }
      }
    });
  }

  /** No background resync starts after this. */
  void close() {
    closed = true;
  }
}
