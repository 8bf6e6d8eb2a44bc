package kv.server;

import java.util.List;
import java.util.Set;
import kv.record.PackedSetReader;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.Value;
import kv.resp.ReplicaCommand;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * The plain data commands users type: GET, QUERY, PUT, DELETE (DEL), EXISTS, DBSIZE. Plain
 * writes are versioned by the server's own clock. Thread-safe (stateless over a thread-safe store).
 */
final class DataCommands {
  static final String PUT_USAGE = "PUT record | PUT key set-text, e.g. PUT \"person1\" : { \"name\" : \"John\" }"
      + " (redis-cli: quote the record as one argument)";

  /**
   * Commands whose inline form takes the rest of the line as one argument (a record, a path; a key
   * or path then a value, which the command splits with kv.resp.InlineArgs).
   */
  static final Set<String> RAW_LINE_COMMANDS = Set.of("PUT", "QUERY", ReplicaCommand.VQUERY.name(), "APPEND", "SETVALUE");
  static final String QUERY_USAGE = "QUERY key.path, e.g. QUERY person2.address.number";

  private final Store store;
  private final RecordParser parser;

  DataCommands(Store store, RecordParser parser) {
    this.store = store;
    this.parser = parser;
  }

  void register(CommandTable table) {
    table.add("GET", 1, 1, "GET key", this::get)
        .add("QUERY", 1, CommandTable.MANY, QUERY_USAGE, this::query)
        .add("PUT", 1, CommandTable.MANY, PUT_USAGE, this::put)
        .add("DELETE", 1, CommandTable.MANY, "DELETE key [key ...]", this::delete)
        .add("EXISTS", 1, CommandTable.MANY, "EXISTS key [key ...]", this::exists)
        .add("DBSIZE", 0, 0, "DBSIZE", (r, s) -> new Resp.Int(store.liveCount()))
        .route("GET", CommandTable.Route.READ, CommandTable.FIRST, false)
        .route("QUERY", CommandTable.Route.READ, r -> List.of(parsePath(pathText(r, QUERY_USAGE)).key()), false)
        .route("PUT", CommandTable.Route.WRITE, this::putKey, false)
        .route("DELETE", CommandTable.Route.WRITE, CommandTable.ALL, true)
        .alias("DEL", "DELETE")
        .route("EXISTS", CommandTable.Route.READ, CommandTable.ALL, true)
        .route("DBSIZE", CommandTable.Route.KEYSPACE, null, false);
  }

  /* The key of a PUT, as put() reads it (parsing the record, so a bad one gets the same error). */
  private List<String> putKey(Request request) {
    if (request.size() == 2) {
      return List.of(parseRecord(request.arg(1)).key());
    }
    if (request.size() == 3) {
      return List.of(request.arg(1));
    }
    throw CommandTable.wrongArity("PUT", PUT_USAGE);
  }

  private Resp get(Request request, Session session) {
    Value value = store.get(Replies.userKey(request.arg(1)));
    return value == null ? Resp.NullBulk.INSTANCE : Replies.bulk(RecordPrinter.print(value));
  }

  private Resp query(Request request, Session session) {
    Path path = parsePath(pathText(request, QUERY_USAGE));
    Value root = store.get(Replies.userKey(path.key()));
    Value value = root == null ? null : path.resolve(root);
    return value == null ? Resp.NullBulk.INSTANCE : Replies.bulk(RecordPrinter.print(value));
  }

  private Resp put(Request request, Session session) {
    Record record;
    if (request.size() == 2) {
      record = parseRecord(request.arg(1));
    } else if (request.size() == 3) {
      record = new Record(request.arg(1), parseSet(request.arg(2)));
    } else {
      throw CommandTable.wrongArity("PUT", PUT_USAGE);
    }
    store.put(Replies.userKey(record.key()), record.value());
    return Resp.OK;
  }

  private Resp delete(Request request, Session session) {
    long deleted = 0;
    for (int i = 1; i < request.size(); i++) {
      if (store.delete(Replies.userKey(request.arg(i)))) {
        deleted++;
      }
    }
    return new Resp.Int(deleted);
  }

  private Resp exists(Request request, Session session) {
    long found = 0;
    for (int i = 1; i < request.size(); i++) {
      if (store.exists(Replies.userKey(request.arg(i)))) {
        found++;
      }
    }
    return new Resp.Int(found);
  }

  /*
   * The path is one argument. Inline, the decoder passes the rest of the line as typed (see
   * RAW_LINE_COMMANDS), so a quoted segment (key."a.b") keeps its quotes.
   */
  static String pathText(Request request, String usage) {
    if (request.size() != 2) {
      throw CommandTable.wrongArity(request.command(), usage);
    }
    return request.arg(1);
  }

  static Path parsePath(String text) {
    try {
      return Path.parse(text);
    } catch (RecordFormatException e) {
      throw new CommandException("invalid path: " + e.getMessage(), e);
    }
  }

  Record parseRecord(String text) {
    try {
      return parser.parseRecord(text);
    } catch (RecordFormatException e) {
      throw new CommandException("invalid record: " + e.getMessage(), e);
    }
  }

  /** Any value in the record format (JSON too): a set, list, string, number, true, false or null. */
  Value parseValue(String text) {
    try {
      return parser.parseValue(text);
    } catch (RecordFormatException e) {
      throw new CommandException("invalid value: " + e.getMessage(), e);
    }
  }

  /** A set's packed form from a broker's {@code VPUT ... PACKED}, checked (never trusted) by PackedSetReader. */
  SetValue packedSet(byte[] bytes) {
    try {
      return PackedSetReader.read(bytes, parser.limits());
    } catch (RecordFormatException e) {
      throw new CommandException("invalid value: " + e.getMessage(), e);
    }
  }

  RecordParser parser() {
    return parser;
  }

  SetValue parseSet(String text) {
    try {
      return parser.parseSet(text);
    } catch (RecordFormatException e) {
      throw new CommandException("invalid record: " + e.getMessage(), e);
    }
  }
}
