package kv.broker.catchup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.broker.transport.WatchedServer;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hinted handoff's second half: replays the writes a server missed, pipelined in windows, and
 * puts the rest back into the {@link HintStore} on a transport failure. Counts the replayed
 * hints. Thread-safe (used from {@link CatchUp}'s one thread).
 */
final class HintReplay {
  private static final Logger log = LoggerFactory.getLogger(HintReplay.class);
  private static final int WINDOW = 512;

  private final HintStore hints;
  private final long timeoutMillis;
  private final AtomicLong replayed = new AtomicLong();

  HintReplay(HintStore hints, long timeoutMillis) {
    this.hints = hints;
    this.timeoutMillis = timeoutMillis;
  }

  /** Hints replayed so far. */
  long replayed() {
    return replayed.get();
  }

  /** Replays {@code list} to {@code server}; on a transport failure puts the rest back and returns false. */
  boolean replay(WatchedServer server, List<HintStore.Hint> list) throws InterruptedException {
    for (int from = 0; from < list.size(); from += WINDOW) {
      List<HintStore.Hint> window = list.subList(from, Math.min(list.size(), from + WINDOW));
      List<CompletableFuture<Resp>> sent = new ArrayList<>(window.size());
      for (HintStore.Hint h : window) {
        sent.add(server.send(ServerRequests.write(h.key(), h.version(), h.text())));
      }
      for (int i = 0; i < sent.size(); i++) {
        try {
          Resp reply = sent.get(i).get(timeoutMillis, TimeUnit.MILLISECONDS);
          if (reply instanceof Resp.Error e) {
            log.warn("hint for {} rejected by {}: {}", window.get(i).key(), server.address(), e.text());
          } else {
            replayed.incrementAndGet();
          }
        } catch (ExecutionException | TimeoutException e) {
          hints.restore(server.address(), list.subList(from, list.size()));
          log.info("replay of hints to {} stopped: {}", server.address(), TransportException.reason(e));
          return false;
        }
      }
    }
    if (!list.isEmpty()) {
      log.info("replayed {} hints to {}", list.size(), server.address());
    }
    return true;
  }
}
