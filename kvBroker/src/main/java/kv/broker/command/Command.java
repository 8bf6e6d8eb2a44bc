package kv.broker.command;

import java.util.List;
import java.util.Objects;
import kv.record.Path;
import kv.record.Record;
import kv.resp.KeyPattern;

/**
 * One parsed broker command, as typed at the prompt, in a script, after {@code -c} or sent over
 * RESP to the router. Immutable.
 */
public sealed interface Command {

  /** {@code GET key}. */
  record Get(String key) implements Command {
    public Get {
      Objects.requireNonNull(key, "key");
    }
  }

  /** {@code QUERY key.path}. */
  record Query(Path path) implements Command {
    public Query {
      Objects.requireNonNull(path, "path");
    }
  }

  /** {@code DELETE key [key ...]} (one key at the prompt; several over RESP, as Redis's DEL). */
  record Delete(List<String> keys) implements Command {
    public Delete {
      keys = List.copyOf(keys);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("keys: empty (expected: at least one key)");
      }
    }

    public Delete(String key) {
      this(List.of(key));
    }
  }

  /** {@code TYPE key} (RESP only): RedisJSON's name for a record, {@code ReJSON-RL}, or {@code none}. */
  record Type(String key) implements Command {
    public Type {
      Objects.requireNonNull(key, "key");
    }
  }

  /** {@code PUT key : { ... }}. */
  record Put(Record record) implements Command {
    public Put {
      Objects.requireNonNull(record, "record");
    }
  }

  /** {@code KEYS prefix*}: the cluster's keys matching a {@link KeyPattern}, in key order. */
  record Keys(KeyPattern pattern) implements Command {
    public Keys {
      Objects.requireNonNull(pattern, "pattern");
    }
  }

  /** {@code EXISTS key [key ...]}: how many of the keys exist, each decided as GET decides. */
  record Exists(List<String> keys) implements Command {
    public Exists {
      keys = List.copyOf(keys);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("keys: empty (expected: at least one key)");
      }
    }
  }

  /**
   * {@code SCAN cursor [MATCH prefix*] [COUNT n]} (RESP only): one page of the cluster's keys
   * after the cursor, examining about {@code count} keys.
   */
  record Scan(String cursor, KeyPattern pattern, int count) implements Command {
    public Scan {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(pattern, "pattern");
    }
  }

  /** {@code DBSIZE}: how many keys the cluster holds. */
  record DbSize() implements Command {}

  /** {@code help}: the list of commands. */
  record Help() implements Command {}

  /** {@code status}: the table of servers. */
  record Status() implements Command {}

  /** {@code exit} (or {@code quit}): leave the prompt. */
  record Exit() implements Command {}
}
