package kv.broker.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Operation;
import kv.broker.engine.Outcome;
import kv.broker.engine.Transactions;
import kv.broker.engine.ServerStatus;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.Value;

/**
 * An in-memory {@link Engine} test double: one map, answers completed on another thread after
 * an optional random delay (so replies complete out of order), keys listed in {@link #downKeys}
 * answer as if all their replicas were down, a GET of a key in {@link #unanswered} never answers.
 * Thread-safe.
 */
public final class FakeEngine implements Engine {
  public final Map<String, Record> records = new ConcurrentHashMap<>();
  public final Set<String> downKeys = ConcurrentHashMap.newKeySet();
  public final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  public volatile int maxDelayMillis;
  /** When set, every answer is complete when the call returns (for single-threaded tests). */
  public volatile boolean synchronous;
  volatile int acknowledged = 2;
  public volatile boolean closed;
  /**
   * When set, the engine runs transactions atomically (under one lock over the map) on keys that
   * start with the same character, as a strong engine would on keys of one group.
   */
  public volatile boolean transactional;
  private final int k = 2;

  private <T> CompletableFuture<T> later(java.util.function.Supplier<T> answer) {
    if (synchronous) {
      return CompletableFuture.completedFuture(answer.get());
    }
    int delay = maxDelayMillis;
    Executor executor = delay == 0
        ? CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS)
        : CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextInt(delay + 1), TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(answer, executor);
  }

  private List<String> replicas(String key) {
    return List.of("127.0.0.1:9001", "127.0.0.1:9002");
  }

  @Override
  public CompletableFuture<Outcome> get(String key) {
    if (unanswered.contains(key)) {
      return new CompletableFuture<>();
    }
    return later(() -> {
      if (downKeys.contains(key)) {
        return new Outcome.Unavailable(key, k, replicas(key));
      }
      Record r = records.get(key);
      return r == null ? new Outcome.NotFound(key) : new Outcome.Found(r);
    });
  }

  @Override
  public CompletableFuture<Outcome> query(Path path) {
    return later(() -> {
      if (downKeys.contains(path.key())) {
        return new Outcome.Unavailable(path.key(), k, replicas(path.key()));
      }
      Record r = records.get(path.key());
      Value v = r == null ? null : path.resolve(r.value());
      return v == null ? new Outcome.NotFound(path.key()) : new Outcome.QueryValue(path, v);
    });
  }

  @Override
  public CompletableFuture<Outcome> delete(String key) {
    return later(() -> {
      if (downKeys.contains(key)) {
        return new Outcome.Refused(key, replicas(key).subList(0, 1));
      }
      return records.remove(key) == null ? new Outcome.NotFound(key) : new Outcome.Deleted(key);
    });
  }

  @Override
  public CompletableFuture<Outcome> put(Record record) {
    return later(() -> {
      int ack = downKeys.contains(record.key()) ? 0 : acknowledged;
      if (ack > 0) {
        records.put(record.key(), record);
      }
      return new Outcome.Written(record.key(), ack, k);
    });
  }

  /** Parses the set text (the indexer's form of PUT) and puts the record. */
  @Override
  public CompletableFuture<Outcome> put(String key, String setText) {
    try {
      return put(new Record(key, new RecordParser().parseSet(setText)));
    } catch (RecordFormatException e) {
      return CompletableFuture.completedFuture(new Outcome.Failed("invalid record: " + e.getMessage()));
    }
  }

  /** Stores a set as a record; other values are not kept by this double (Failed). */
  @Override
  public CompletableFuture<Outcome> putValue(String key, Value value) {
    if (value instanceof kv.record.SetValue set) {
      return put(new Record(key, set));
    }
    return CompletableFuture.completedFuture(new Outcome.Failed("FakeEngine stores sets only"));
  }

  /** Not kept by this double: Failed. */
  @Override
  public CompletableFuture<Outcome> append(Path path, Value element) {
    return CompletableFuture.completedFuture(new Outcome.Failed("FakeEngine does not append"));
  }

  @Override
  public CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
    return CompletableFuture.completedFuture(new KeyScan.Failed("this engine cannot list keys"));
  }

  @Override
  public EngineStatus status() {
    List<ServerStatus> rows = new ArrayList<>();
    rows.add(new ServerStatus("127.0.0.1:9000", true, Instant.now(), records.size(), "fake-0", false));
    rows.add(new ServerStatus("127.0.0.1:9001", true, Instant.now(), records.size(), "fake-1", false));
    return new EngineStatus(rows, List.of());
  }

  @Override
  public Transactions transactions() {
    return transactional ? new Transactions() {
      @Override
      public String refusal(List<String> keys) {
        long groups = keys.stream().map(k -> k.isEmpty() ? "" : k.substring(0, 1)).distinct().count();
        return groups <= 1 ? null : "keys " + keys + " are in different groups (expected: keys of one group)";
      }

      @Override
      public CompletableFuture<Result> execute(List<Operation> operations) {
        return later(() -> {
          synchronized (records) {
            List<Outcome> outcomes = new ArrayList<>();
            for (Operation op : operations) {
              outcomes.add(apply(op));
            }
            return new Result.Applied(outcomes);
          }
        });
      }
    } : Transactions.NONE;
  }

  private Outcome apply(Operation op) {
    if (op instanceof Operation.Get g) {
      Record r = records.get(g.key());
      return r == null ? new Outcome.NotFound(g.key()) : new Outcome.Found(r);
    } else if (op instanceof Operation.Query q) {
      Record r = records.get(q.key());
      Value v = r == null ? null : q.path().resolve(r.value());
      return v == null ? new Outcome.NotFound(q.key()) : new Outcome.QueryValue(q.path(), v);
    } else if (op instanceof Operation.Put p) {
      try {
        records.put(p.key(), new Record(p.key(), new RecordParser().parseSet(p.setText())));
      } catch (RecordFormatException e) {
        return new Outcome.Failed("invalid record: " + e.getMessage());
      }
      return new Outcome.Written(p.key(), k, k);
    }
    return records.remove(op.key()) == null ? new Outcome.NotFound(op.key()) : new Outcome.Deleted(op.key());
  }

  @Override
  public List<String> replicasOf(String key) {
    return replicas(key);
  }

  @Override
  public void close() {
    closed = true;
  }
}
