package kv.broker.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordPrinter;

/**
 * The broker's operations: what every front end (prompt, scripts, {@code -c}, RESP router) calls
 * and every engine implements (today eventual replication, {@code kv.broker.eventual}). Front ends
 * do not know which engine answers; engines do not know which front end asked. Implementations
 * are thread-safe; futures complete on an I/O thread, so callers must not block inside callbacks.
 */
public interface Engine extends AutoCloseable {

  /** Found, NotFound, Unavailable or Failed. */
  CompletableFuture<Outcome> get(String key);

  /** QueryValue, NotFound, Unavailable or Failed. */
  CompletableFuture<Outcome> query(Path path);

  /** Deleted, NotFound, Refused or Failed. */
  CompletableFuture<Outcome> delete(String key);

  /** Written (acknowledged may be 0) or Failed. */
  default CompletableFuture<Outcome> put(Record record) {
    return put(record.key(), RecordPrinter.print(record.value()));
  }

  /**
   * As {@link #put(Record)} with the set given as text the {@code RecordParser} has accepted
   * (canonical or not), so a bulk load need not print every record again.
   */
  CompletableFuture<Outcome> put(String key, String setText);

  /**
   * One page of the cluster's live keys under {@code prefix}, after the key {@code after} (null:
   * from the first), each key once, examining at most {@code count} (1..{@link kv.resp.ScanArgs#MAX_COUNT})
   * keys; Incomplete when servers that could hold keys cannot answer (for KEYS, SCAN, DBSIZE).
   */
  CompletableFuture<KeyScan> keyPage(String prefix, String after, int count);

  /** The servers and the engine's own figures, as {@code status} and INFO show them. */
  EngineStatus status();

  /**
   * Brings {@link #status} up to date now (e.g. record counts after a bulk load), waiting a
   * bounded time; an engine whose status is always current does nothing.
   */
  default void refreshStatus() {}

  /**
   * MULTI/EXEC on this engine: by default {@link Transactions#NONE}, which refuses every
   * transaction (an engine that cannot isolate one must never pretend to).
   */
  default Transactions transactions() {
    return Transactions.NONE;
  }

  /** The servers that hold {@code key} (its replicas, or its group's members), for messages. */
  List<String> replicasOf(String key);

  @Override
  void close();
}
