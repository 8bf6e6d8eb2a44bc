package kv.broker.command;

import java.util.List;
import java.util.Objects;
import kv.record.Path;
import kv.record.Record;
import kv.record.Value;
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

  /** {@code LOCATE key}: where the key lives, each of its servers' state and the version it holds. */
  record Locate(String key) implements Command {
    public Locate {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * {@code APPEND key[.path] value}: {@code element} as one element of the list at the path (a
   * missing key or path becomes the list {@code [element]}).
   */
  record Append(Path path, Value element) implements Command {
    public Append {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(element, "element");
    }
  }

  /** {@code SETVALUE key value}: any value (a set, list, string, number, true/false, null) at the key. */
  record PutValue(String key, Value value) implements Command {
    public PutValue {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
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
