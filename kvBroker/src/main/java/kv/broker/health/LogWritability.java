package kv.broker.health;

import kv.cluster.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one server's log takes writes, as its INFO says ({@code log_writable}) or a write it
 * refused for its log showed; each transition is logged once. Thread-safe.
 */
final class LogWritability {
  private static final Logger log = LoggerFactory.getLogger(WatchedServer.class);

  private final ServerAddress address;
  private volatile boolean writable = true;

  LogWritability(ServerAddress address) {
    this.address = address;
  }

  boolean writable() {
    return writable;
  }

  /** What an INFO reply says. */
  synchronized void info(InfoReply info) {
    if (info.logWritable()) {
      if (!writable) {
        log.info("server {} can write its log again", address);
      }
      writable = true;
    } else {
      refused(info.logError());
    }
  }

  /** A write refused for the server's log (a full disk, an fsync error): {@code reason} as it said. */
  synchronized void refused(String reason) {
    if (writable) {
      writable = false;
      log.warn("server {} cannot write its log ({}): writes go to the other replicas, with hints for it; it still"
          + " serves reads", address, reason);
    }
  }
}
