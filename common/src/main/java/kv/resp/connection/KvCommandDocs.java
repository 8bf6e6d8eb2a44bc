package kv.resp.connection;

import static kv.resp.connection.CommandDoc.Arg.integer;
import static kv.resp.connection.CommandDoc.Arg.key;
import static kv.resp.connection.CommandDoc.Arg.oneOf;
import static kv.resp.connection.CommandDoc.Arg.pattern;
import static kv.resp.connection.CommandDoc.Arg.pureToken;
import static kv.resp.connection.CommandDoc.Arg.string;

import java.util.List;

/**
 * The COMMAND DOCS entries of KV's data commands, the same on every RESP port (kvServer and the
 * broker's router): GET, QUERY, PUT, DELETE/DEL, EXISTS, DBSIZE, KEYS, SCAN, TYPE, INFO, SETVALUE,
 * APPEND and the JSON commands.
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
          string("section").optional().multiple()),
      CommandDoc.withKeys("setvalue", 3, "write", 1, 1, 1, "kv",
          "Stores any value (KV or JSON text: a set, list, string, number, true, false or null) at a key.",
          key("key"), string("value")),
      CommandDoc.withKeys("append", 3, "write", 1, 1, 1, "kv",
          "Appends one element to the list at key or key.path (a missing one becomes [value]); answers the"
              + " list's length. The value is KV/JSON text; a bare word is a string.",
          string("key.path"), string("value")),
      CommandDoc.withKeys("json.set", -4, "write", 1, 1, 1, "json",
          "Sets the JSON value at path ($ or a simple path such as $.a.b or $.a[0]) in key.",
          key("key"), string("path"), string("json"), oneOf("condition", pureToken("NX"), pureToken("XX")).optional()),
      CommandDoc.withKeys("json.get", -2, "readonly", 1, 1, 1, "json",
          "Gets the JSON text at one or more paths in key.", key("key"),
          string("indent").token("INDENT").optional(), string("newline").token("NEWLINE").optional(),
          string("space").token("SPACE").optional(), string("path").optional().multiple()),
      CommandDoc.withKeys("json.del", -2, "write", 1, 1, 1, "json",
          "Deletes the value at path (the whole key by default); answers how many were deleted.",
          key("key"), string("path").optional()),
      CommandDoc.withKeys("json.forget", -2, "write", 1, 1, 1, "json", "Same as JSON.DEL.",
          key("key"), string("path").optional()),
      CommandDoc.withKeys("json.arrappend", -4, "write", 1, 1, 1, "json",
          "Appends JSON values to the array at path; answers its new length.",
          key("key"), string("path"), string("json").multiple()),
      CommandDoc.withKeys("json.type", -2, "readonly", 1, 1, 1, "json",
          "Reports the JSON type at path: object, array, string, integer, number, boolean or null.",
          key("key"), string("path").optional()),
      CommandDoc.withKeys("json.mget", -3, "readonly", 1, -2, 1, "json",
          "Gets the JSON text at path from several keys.", key("key").multiple(), string("path")));
}
