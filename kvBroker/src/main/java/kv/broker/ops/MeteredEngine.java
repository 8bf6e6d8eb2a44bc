package kv.broker.ops;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import kv.broker.command.ErrorKind;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.broker.engine.Transactions;
import kv.record.Path;
import kv.record.Record;
import kv.record.Value;

/**
 * The engine as one front end sees it, counting each operation it asks for in the
 * {@link BrokerMetrics} (requests and latency by operation and front end, failures by kind) and
 * the status page's {@link RequestRates}; otherwise the engine itself. Thread-safe.
 */
public final class MeteredEngine implements Engine {
  /*
   * A decorator rather than hooks in each front end: every front end reaches the cluster only
   * through Engine, so wrapping the engine a front end is given counts everything it asks for
   * without touching it. What is counted is the engine operation (a KEYS or DBSIZE is a series of
   * KEYS_PAGE operations, EXISTS one GET per key), timed from the call to its outcome.
   */
  private final Engine engine;
  private final BrokerMetrics metrics;
  private final FrontEnd frontEnd;

  public MeteredEngine(Engine engine, BrokerMetrics metrics, FrontEnd frontEnd) {
    this.engine = engine;
    this.metrics = metrics;
    this.frontEnd = frontEnd;
  }

  @Override
  public CompletableFuture<Outcome> get(String key) {
    return timed("GET", () -> engine.get(key));
  }

  @Override
  public CompletableFuture<Outcome> query(Path path) {
    return timed("QUERY", () -> engine.query(path));
  }

  @Override
  public CompletableFuture<Outcome> delete(String key) {
    return timed("DELETE", () -> engine.delete(key));
  }

  @Override
  public CompletableFuture<Outcome> put(Record record) {
    return timed("PUT", () -> engine.put(record));
  }

  @Override
  public CompletableFuture<Outcome> put(String key, String setText) {
    return timed("PUT", () -> engine.put(key, setText));
  }

  @Override
  public CompletableFuture<Outcome> putValue(String key, Value value) {
    return timed("SETVALUE", () -> engine.putValue(key, value));
  }

  @Override
  public CompletableFuture<Outcome> append(Path path, Value element) {
    return timed("APPEND", () -> engine.append(path, element));
  }

  @Override
  public CompletableFuture<Outcome> locate(String key) {
    return timed("LOCATE", () -> engine.locate(key));
  }

  @Override
  public CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
    long started = System.nanoTime();
    CompletableFuture<KeyScan> page = engine.keyPage(prefix, after, count);
    page.whenComplete((scan, error) -> metrics.answered("KEYS_PAGE", frontEnd, System.nanoTime() - started,
        error != null ? "ERR" : scan instanceof KeyScan.Incomplete ? "CLUSTERDOWN"
            : scan instanceof KeyScan.Page ? null : "ERR"));
    return page;
  }

  @Override
  public EngineStatus status() {
    return engine.status();
  }

  @Override
  public void refreshStatus() {
    engine.refreshStatus();
  }

  /** The engine's own (MULTI/EXEC transactions are not counted in the metrics). */
  @Override
  public Transactions transactions() {
    return engine.transactions();
  }

  @Override
  public List<String> replicasOf(String key) {
    return engine.replicasOf(key);
  }

  /** Closes nothing: the engine belongs to the program, not to one front end. */
  @Override
  public void close() {
  }

  private CompletableFuture<Outcome> timed(String operation, Supplier<CompletableFuture<Outcome>> call) {
    long started = System.nanoTime();
    CompletableFuture<Outcome> outcome = call.get();
    outcome.whenComplete((o, error) -> metrics.answered(operation, frontEnd, System.nanoTime() - started,
        error != null ? "ERR" : ErrorKind.of(o)));
    return outcome;
  }
}
