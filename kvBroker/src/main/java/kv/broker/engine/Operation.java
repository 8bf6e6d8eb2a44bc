package kv.broker.engine;

import java.util.Objects;
import kv.record.Path;

/**
 * One single-key operation of a transaction ({@link Transactions#execute}): what a GET, QUERY,
 * PUT or DELETE asks of the engine, as data. Immutable.
 */
public sealed interface Operation {

  /** The key the operation reads or writes. */
  String key();

  /** Whether it writes. */
  boolean writes();

  /** GET key: Found, NotFound. */
  record Get(String key) implements Operation {
    public Get {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean writes() {
      return false;
    }
  }

  /** QUERY key.path: QueryValue, NotFound. */
  record Query(Path path) implements Operation {
    public Query {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String key() {
      return path.key();
    }

    @Override
    public boolean writes() {
      return false;
    }
  }

  /** PUT key set: Written. The set is text the {@code RecordParser} accepted. */
  record Put(String key, String setText) implements Operation {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(setText, "setText");
    }

    @Override
    public boolean writes() {
      return true;
    }
  }

  /** DELETE key: Deleted, NotFound. */
  record Delete(String key) implements Operation {
    public Delete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean writes() {
      return true;
    }
  }
}
