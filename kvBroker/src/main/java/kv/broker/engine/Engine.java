package kv.broker.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kv.record.Path;
import kv.record.Record;

/**
 * The broker's operations, as the front ends (prompt, scripts, RESP router) call them: each
 * resolves the key's k replicas by rendezvous hashing and applies SPEC.md §6. Implementations are
 * thread-safe; futures complete on an I/O thread, so callers must not block inside callbacks.
 */
public interface Engine extends AutoCloseable {

  /** Found, NotFound or Unavailable. */
  CompletableFuture<Outcome> get(String key);

  /** QueryValue, NotFound or Unavailable. */
  CompletableFuture<Outcome> query(Path path);

  /** Deleted, NotFound, Refused or Failed. */
  CompletableFuture<Outcome> delete(String key);

  /** Written (acknowledged may be 0) or Failed. */
  CompletableFuture<Outcome> put(Record record);

  /**
   * One page of the cluster's live keys under {@code prefix}, after the key {@code after} (null:
   * from the first), each key once, examining at most {@code count} (1..10000) keys; Incomplete
   * when k or more servers are down, so keys could be missing (for KEYS, SCAN, DBSIZE).
   */
  default CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
    return CompletableFuture.completedFuture(new KeyScan.Failed("this broker cannot list keys"));
  }

  /** One row per server in server-file order. */
  List<ServerStatus> status();

  /** Counters of the catch-up (read repairs, hints replayed, records copied), in INFO order. */
  default Map<String, Long> syncInfo() {
    return Map.of();
  }

  @Override
  void close();
}
