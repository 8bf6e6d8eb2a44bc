package kv.broker.eventual;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.catchup.KeyCopy;
import kv.broker.transport.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read repair: after a read has been answered, copies the key from the replica that answered the
 * newest version to the replicas that answered an older one, another value of the same version
 * (the tie's loser) or nothing, asynchronously (never delays the answer). The copies are
 * version-checked, so a repair racing a newer write is harmless. Counts repairs. Thread-safe.
 */
final class ReadRepair {
  private static final Logger log = LoggerFactory.getLogger(ReadRepair.class);

  private final AtomicLong repairs = new AtomicLong();

  /** How many stale replicas were sent a newer version. */
  long repairs() {
    return repairs.get();
  }

  /** Copies {@code key} from {@code source} (the newest answer) to {@code stale} ({@link KeyCopy}). */
  void repairFrom(String key, Server source, List<Server> stale) {
    for (Server server : stale) {
      KeyCopy.copy(source, server, key).whenComplete((applied, error) -> {
        if (error != null) {
          log.debug("read repair of {} on {} not done: {}", key, server.address(), error.getMessage());
        } else if (applied > 0) {
          repairs.incrementAndGet();
          log.debug("read repair: {} got the newest version of {}", server.address(), key);
        }
      });
    }
  }
}
