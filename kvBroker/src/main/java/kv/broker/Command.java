package kv.broker;

import java.util.Objects;
import kv.record.Path;
import kv.record.Record;

/**
 * One parsed broker command, as typed at the prompt, in a script, after {@code -c} or sent over
 * RESP to the router. Immutable.
 */
sealed interface Command {

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

  /** {@code DELETE key}. */
  record Delete(String key) implements Command {
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  /** {@code PUT key : { ... }}. */
  record Put(Record record) implements Command {
    public Put {
      Objects.requireNonNull(record, "record");
    }
  }

  /** {@code help}: the list of commands. */
  record Help() implements Command {}

  /** {@code status}: the table of servers. */
  record Status() implements Command {}

  /** {@code exit} (or {@code quit}): leave the prompt. */
  record Exit() implements Command {}
}
