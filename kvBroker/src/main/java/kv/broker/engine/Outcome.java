package kv.broker.engine;

import java.util.List;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordPrinter;

/**
 * The result of one broker command, before any front end (prompt or RESP router) formats it.
 * Immutable.
 */
public sealed interface Outcome {

  /**
   * GET found the record (newest version among the live replicas): its key and the set's
   * canonical text as the replica printed it, passed on without parsing it again.
   */
  record Found(String key, String set) implements Outcome {
    /** The outcome of finding {@code record} (its set printed canonically). */
    public Found(Record record) {
      this(record.key(), RecordPrinter.print(record.value()));
    }
  }

  /** QUERY found a value at the path. */
  record QueryValue(Path path, kv.record.Value value) implements Outcome {}

  /** GET/QUERY checked at least one live replica of the key and nobody has it; DELETE of an absent key. */
  record NotFound(String key) implements Outcome {}

  /** DELETE removed the key from every replica. */
  record Deleted(String key) implements Outcome {}

  /** PUT: {@code acknowledged} of {@code replicas} (k) replicas stored it; 0 means it failed. */
  record Written(String key, int acknowledged, int replicas) implements Outcome {}

  /**
   * All k replicas of the key are down: the broker cannot guarantee a correct answer. Never
   * reported as NotFound.
   */
  record Unavailable(String key, int replicas, List<String> downServers) implements Outcome {
    public Unavailable {
      downServers = List.copyOf(downServers);
    }
  }

  /** DELETE refused because some replicas of the key are down; nothing was deleted. */
  record Refused(String key, List<String> downServers) implements Outcome {
    public Refused {
      downServers = List.copyOf(downServers);
    }
  }

  /** A server replied an error (not a transport failure), e.g. a record it rejected. */
  record Failed(String message) implements Outcome {}
}
