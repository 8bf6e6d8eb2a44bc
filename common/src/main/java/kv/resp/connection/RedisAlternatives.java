package kv.resp.connection;

import java.util.Map;

/**
 * What to use instead of the Redis commands users try first that KV does not have (SET, HGET,
 * MGET, ...), for the "unknown command" error of every RESP port. Immutable.
 */
public final class RedisAlternatives {
  private static final String STRINGS = "KV stores records and JSON values, not Redis strings: use"
      + " PUT key { \"field\" : \"value\" } (redis-cli: PUT key '{ \"field\" : \"value\" }'), or SETVALUE key"
      + " '\"text\"' / JSON.SET key $ '\"text\"' for any JSON value";
  private static final Map<String, String> HINTS = Map.ofEntries(
      Map.entry("SET", STRINGS),
      Map.entry("SETNX", STRINGS),
      Map.entry("SETEX", STRINGS + "; KV has no expiry"),
      Map.entry("PSETEX", STRINGS + "; KV has no expiry"),
      Map.entry("GETSET", STRINGS),
      Map.entry("MSET", STRINGS + ", one PUT per record (pipelined)"),
      Map.entry("MGET", "use GET key, one per key (pipelined)"),
      Map.entry("HSET", "a record is KV's hash: PUT key { \"field\" : \"value\" } writes it whole"),
      Map.entry("HMSET", "a record is KV's hash: PUT key { \"field\" : \"value\" } writes it whole"),
      Map.entry("HGET", "use QUERY key.field or JSON.GET key $.field"),
      Map.entry("HGETALL", "use GET key"),
      Map.entry("HDEL", "use JSON.DEL key $.field, or PUT the record without the field"),
      Map.entry("RPUSH", "use APPEND key value (a list at the key; APPEND key.path value inside a record)"),
      Map.entry("EXPIRE", "KV has no expiry; DELETE key removes a record"),
      Map.entry("TTL", "KV has no expiry: records live until deleted"),
      Map.entry("FLUSHALL", "KV has no flush command: DELETE keys, or start the server with an empty data directory"),
      Map.entry("FLUSHDB", "KV has no flush command: DELETE keys, or start the server with an empty data directory"));

  private RedisAlternatives() {}

  /** The hint for an upper-case Redis command KV does not have, or null. */
  public static String hint(String command) {
    return HINTS.get(command);
  }
}
