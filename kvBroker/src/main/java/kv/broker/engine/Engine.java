package kv.broker.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordPrinter;
import kv.record.Value;

/**
 * The broker's operations: what every front end (prompt, scripts, {@code -c}, RESP router, HTTP) calls
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
   * Stores any value at the key (a set, list, string, number, true/false or null), replacing what
   * is there with its appends: the operation of SETVALUE, JSON.SET's root and the HTTP API's PUT.
   * Written (acknowledged may be 0), or Failed.
   */
  CompletableFuture<Outcome> putValue(String key, Value value);

  /**
   * APPEND: adds {@code element} as one element (a list too) to the list at {@code path} (the key
   * itself when it has no segments); a missing key or path becomes {@code [element]}. Written
   * (with the list's new length where the engine knows it, else -1; acknowledged may be 0),
   * WrongType when the value there (or on the way) is not a list or a set, Unavailable when the
   * engine could not check what is there, Unknown when it was sent and no answer came, or Failed.
   */
  CompletableFuture<Outcome> append(Path path, Value element);

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

  /**
   * LOCATE: where {@code key} lives ({@link Outcome.Located}): its replicas or Raft group, each
   * server's state and what it holds. By default only where the key belongs ({@link #replicasOf}),
   * its servers' states and versions unknown; an engine that can ask them says more.
   */
  default CompletableFuture<Outcome> locate(String key) {
    // The strong engine (kv.broker.strong) is to fill in the group, its leader and term and the
    // members' roles here; until then LOCATE shows the members this default gives.
    List<Location.Replica> servers = new java.util.ArrayList<>();
    for (String address : replicasOf(key)) {
      servers.add(Location.Replica.unknown(address));
    }
    return CompletableFuture.completedFuture(new Outcome.Located(new Location(key, "the servers that hold it", null,
        servers, "this engine does not report its servers' states or the versions they hold")));
  }

  @Override
  void close();
}
