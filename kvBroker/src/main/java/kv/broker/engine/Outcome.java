package kv.broker.engine;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordPrinter;

/**
 * The result of one broker command, before any front end formats it: the engine's answers to
 * GET, QUERY, PUT, APPEND and DELETE, and the keyspace commands' (EXISTS, DBSIZE, KEYS, SCAN). A failure
 * carries its words ({@code message()}); each front end adds only its prefix ({@code ERROR: } or
 * {@code WARNING: } at the prompt, {@code -ERR}, {@code -CLUSTERDOWN} or {@code -TRYAGAIN} over
 * RESP; an Unanswered outcome's own code). Immutable.
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

  /**
   * PUT (or APPEND): {@code acknowledged} of {@code replicas} (k) replicas stored it; 0 means it
   * failed. {@code length} is the list's length after an APPEND as far as the engine knows it, -1
   * for a PUT or when unknown.
   */
  record Written(String key, int acknowledged, int replicas, long length) implements Outcome {
    /** A PUT's outcome (no list length). */
    public Written(String key, int acknowledged, int replicas) {
      this(key, acknowledged, replicas, -1);
    }

    /** Why nothing was written (when {@code acknowledged} is 0). */
    public String message() {
      return "cannot write " + displayKey(key) + ": 0 of " + replicas
          + " replicas acknowledged (all down or not answering)";
    }
  }

  /**
   * All k replicas of the key are down: the broker cannot guarantee a correct answer. Never
   * reported as NotFound.
   */
  record Unavailable(String key, int replicas, List<String> downServers) implements Outcome {
    public Unavailable {
      downServers = List.copyOf(downServers);
    }

    public String message() {
      return replicas + " or more servers are down (" + String.join(", ", downServers)
          + "): cannot guarantee a correct answer for " + displayKey(key);
    }
  }

  /** DELETE refused because some replicas of the key are down; nothing was deleted. */
  record Refused(String key, List<String> downServers) implements Outcome {
    public Refused {
      downServers = List.copyOf(downServers);
    }

    public String message() {
      String servers = downServers.size() == 1
          ? "replica server " + downServers.get(0) + " is"
          : "replica servers " + String.join(", ", downServers) + " are";
      return "cannot delete " + displayKey(key) + " reliably: " + servers + " down; nothing was deleted";
    }
  }

  /** A server replied an error (not a transport failure), e.g. a record it rejected; or no answer came. */
  record Failed(String message) implements Outcome {
    /** The failure of a future that completed with {@code error} instead of an outcome. */
    public static Failed of(Throwable error) {
      Throwable cause = error;
      while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String message = cause.getMessage();
      return new Failed(message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }
  }

  /**
   * The engine could not answer and says why, with a RESP error code that tells a client what it
   * may do (strong mode: {@code NOQUORUM} a majority of the key's Raft group is down;
   * {@code UNKNOWN} a write may or may not have been applied and retrying it is safe;
   * {@code TRYAGAIN} the group did not answer in time). Never reported as NotFound or an old value.
   */
  record Unanswered(String code, String message) implements Outcome {
    public Unanswered {
      java.util.Objects.requireNonNull(code, "code");
      java.util.Objects.requireNonNull(message, "message");
    }
  }
  /** LOCATE: where the key lives and what its servers hold. */
  record Located(Location location) implements Outcome {}
  /**
   * The value at the command's place is not of the type the command needs (APPEND to a value that
   * is not a list); nothing was written, and the same command would be refused again.
   * {@code message} names the place and the type, e.g. {@code APPEND person1.name: the value there
   * is a string, not a list (...)}.
   */
  record WrongType(String key, String message) implements Outcome {}

  /**
   * A write whose outcome is not known (replicas were asked and did not answer): it may or may
   * not have been applied. {@code message} says so and whether retrying it is safe (it is for a
   * PUT; an APPEND retried in eventual mode may append twice).
   */
  record Unknown(String key, String message) implements Outcome {}

  /** EXISTS (how many of the keys exist) or DBSIZE (how many keys the cluster holds). */
  record Count(long count) implements Outcome {}

  /** KEYS: the matching keys in key order. */
  record Keys(List<String> keys) implements Outcome {
    public Keys {
      keys = List.copyOf(keys);
    }
  }

  /** SCAN: one page of keys and the cursor that continues after it ({@code "0"}: the end). */
  record ScanPage(String cursor, List<String> keys) implements Outcome {
    public ScanPage {
      keys = List.copyOf(keys);
    }
  }

  /** KEYS, SCAN or DBSIZE ({@code command}) got no answer: servers that could hold keys cannot answer. */
  record Incomplete(String command, KeyScan.Incomplete why) implements Outcome {
    public String message() {
      List<String> servers = why.down();
      String which = "down";
      if (!why.catchingUp().isEmpty()) {
        which = "down or catching up";
        servers = new java.util.ArrayList<>();
        for (String s : why.down()) {
          servers.add(s + " down");
        }
        for (String s : why.catchingUp()) {
          servers.add(s + " catching up");
        }
      }
      return why.k() + " or more servers are " + which + " (" + String.join(", ", servers)
          + "): cannot guarantee a complete answer for " + command + ": keys whose " + why.k()
          + " replicas are all among them could be missing";
    }
  }

  /** {@code 'person1'} for a plain word, else the key as a JSON string ({@code "a b"}). */
  static String displayKey(String key) {
    return RecordPrinter.isPlainWord(key) ? "'" + key + "'" : RecordPrinter.printKey(key);
  }
}
