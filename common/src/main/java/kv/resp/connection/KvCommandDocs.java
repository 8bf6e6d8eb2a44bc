package kv.resp.connection;

import static kv.resp.connection.CommandDoc.Arg.integer;
import static kv.resp.connection.CommandDoc.Arg.key;
import static kv.resp.connection.CommandDoc.Arg.pattern;
import static kv.resp.connection.CommandDoc.Arg.string;

import java.util.List;

/**
 * The COMMAND DOCS entries of KV's data commands, the same on every RESP port (kvServer and the
 * broker's router): GET, QUERY, PUT, DELETE/DEL, EXISTS, DBSIZE, KEYS, SCAN, TYPE, INFO.
 * Immutable.
 */
public final class KvCommandDocs {
  private KvCommandDocs() {}

  public static final List<CommandDoc> DATA = List.of(
      CommandDoc.withKeys("get", 2, "readonly fast", 1, 1, 1, "kv",
          "Returns the record of a key as canonical text, or nil.", key("key")),
      CommandDoc.withKeys("query", 2, "readonly fast", 1, 1, 1, "kv",
          "Returns the value at a path inside a record (key.a.b, key.\"a.b\", key.list.0), or nil.",
          string("key.path")),
      CommandDoc.withKeys("put", -2, "write", 1, 1, 1, "kv",
          "Stores a record: PUT key set-text, or PUT record-text (e.g. PUT person1 : { \"name\" : \"John\" }).",
          key("key"), string("set")),
      CommandDoc.withKeys("delete", -2, "write", 1, -1, 1, "kv",
          "Deletes records; answers how many existed.", key("key").multiple()),
      CommandDoc.withKeys("del", -2, "write", 1, -1, 1, "kv",
          "Same as DELETE.", key("key").multiple()),
      CommandDoc.withKeys("exists", -2, "readonly fast", 1, -1, 1, "kv",
          "Counts the given keys that hold a record.", key("key").multiple()),
      CommandDoc.of("dbsize", 1, "readonly fast", "kv", "Returns the number of records."),
      CommandDoc.of("keys", 2, "readonly", "kv",
          "Returns the keys matching a prefix pattern (prefix*, *, or an exact key).", pattern("pattern")),
      CommandDoc.of("scan", -2, "readonly", "kv", "Iterates over the keys, a page per call.",
          integer("cursor"), pattern("pattern").token("MATCH").optional(), integer("count").token("COUNT").optional()),
      CommandDoc.withKeys("type", 2, "readonly fast", 1, 1, 1, "kv",
          "Returns ReJSON-RL for a key holding a record (a JSON document, as RedisJSON names it), none otherwise.",
          key("key")),
      CommandDoc.of("info", -1, "", "server", "Returns the server's identity, settings and counters.",
          string("section").optional().multiple()));
}
