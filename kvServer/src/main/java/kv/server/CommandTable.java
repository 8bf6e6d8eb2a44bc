package kv.server;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import kv.resp.InvalidUtf8Exception;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.connection.Permissions;
import kv.resp.connection.RedisAlternatives;
import kv.security.Access;

/**
 * The commands a server answers, keyed by upper-case name, each with its arity, usage line, who
 * may run it ({@link Access}: the clients' data commands, or the cluster's replication and sync
 * commands) and how strong mode routes it; checks the arity and the connection's permission, runs
 * the handler and turns a {@link CommandException} into an error reply. Filled before the server
 * starts, read-only afterwards, so thread-safe once published.
 */
final class CommandTable {
  /*
   * Roles are given where commands are registered, by the view the registering class gets
   * (KvServer.commandTable: table.forRole(Access.CLIENT) for DataCommands, ...), so a command a
   * class adds later gets its class's role without an if anywhere; the table itself registers
   * as CLUSTER, so a command registered without a role is refused to clients rather than open.
   * Routes are given the same way, next to each command's registration (route()).
   */
  static final int MANY = Integer.MAX_VALUE;

  /**
   * How a strong-mode server runs a command (SPEC.md §8): LOCAL on this server (connection and
   * server commands), READ or WRITE through the Raft group of its keys, KEYSPACE across every
   * group (KEYS, SCAN, DBSIZE), or not at all (REPLICATION: eventual mode's replication forms).
   */
  enum Route { LOCAL, READ, WRITE, KEYSPACE, REPLICATION }

  /** The keys a request touches; throws {@link CommandException} for a malformed one, as the handler would. */
  @FunctionalInterface
  interface KeyFinder {
    List<String> keys(Request request);
  }

  /** The first argument is the key (GET key, DELETE key [key ...]: see {@link Spec#perKey}). */
  static final KeyFinder FIRST = r -> List.of(r.arg(1));
  /** Every argument is a key. */
  static final KeyFinder ALL = r -> {
    List<String> keys = new java.util.ArrayList<>(r.size() - 1);
    for (int i = 1; i < r.size(); i++) {
      keys.add(r.arg(i));
    }
    return keys;
  };

  /**
   * Arguments counted without the command word; {@code access}: who may run it; {@code perKey}: a
   * request with several keys is the sum of one request per key (DELETE, EXISTS), so strong mode
   * may split it across groups.
   */
  record Spec(String name, int minArgs, int maxArgs, String usage, Handler handler, Access access, Route route,
      KeyFinder keys, boolean perKey) {}

  private final Map<String, Spec> specs;
  private final Access access;

  CommandTable() {
    this(new TreeMap<>(), Access.CLUSTER);
  }

  private CommandTable(Map<String, Spec> specs, Access access) {
    this.specs = specs;
    this.access = access;
  }

  /** The same table, adding commands that {@code access} allows. */
  CommandTable forRole(Access access) {
    return new CommandTable(specs, access);
  }

  CommandTable add(String name, int minArgs, int maxArgs, String usage, Handler handler) {
    specs.put(name, new Spec(name, minArgs, maxArgs, usage, handler, access, Route.LOCAL, null, false));
    return this;
  }

  /** Says how strong mode routes {@code name} (added before; LOCAL until this is called). */
  CommandTable route(String name, Route route, KeyFinder keys, boolean perKey) {
    Spec s = specs.get(name);
    specs.put(name, new Spec(name, s.minArgs(), s.maxArgs(), s.usage(), s.handler(), s.access(), route, keys, perKey));
    return this;
  }

  /** The same handler (access and route) under another name (e.g. DEL for DELETE). */
  CommandTable alias(String alias, String name) {
    Spec s = specs.get(name);
    specs.put(alias, new Spec(alias, s.minArgs(), s.maxArgs(), s.usage(), s.handler(), s.access(), s.route(),
        s.keys(), s.perKey()));
    return this;
  }

  Map<String, Spec> specs() {
    return Collections.unmodifiableMap(specs);
  }

  /** The spec of {@code request}'s command, or null when there is none. */
  Spec spec(Request request) {
    return specs.get(request.command());
  }

  /**
   * The error reply for a command sent inside MULTI (refused, never run), an unknown command, a
   * wrong number of arguments or a command the connection may not run, or null when it may run.
   */
  static Resp check(Spec spec, Request request, Session session) {
    Resp insideMulti = ConnectionCommands.TRANSACTIONS.refuseQueued(request, session.client());
    if (insideMulti != null) {
      return insideMulti; // never queued, never run
    }
    if (spec == null) {
      String hint = RedisAlternatives.hint(request.command());
      return Replies.error("ERR", "unknown command '" + Replies.quote(request.args().get(0)) + "'"
          + (hint == null ? "" : " (" + hint + ")"));
    }
    int args = request.size() - 1;
    if (args < spec.minArgs() || args > spec.maxArgs()) {
      return wrongArity(spec);
    }
    return Permissions.check(session.client(), spec.access(), spec.name().toLowerCase(Locale.ROOT));
  }

  /** The reply to {@code request}; never throws for bad input (only for a bug in a handler). */
  Resp execute(Request request, Session session) {
    Spec spec = specs.get(request.command());
    Resp bad = check(spec, request, session);
    if (bad != null) {
      return bad;
    }
    try {
      return spec.handler().handle(request, session);
    } catch (CommandException e) {
      return Replies.error(e.prefix(), e.getMessage());
    } catch (InvalidUtf8Exception e) {
      return Replies.error("ERR", e.getMessage());
    }
  }

  static Resp wrongArity(Spec spec) {
    return Replies.error("ERR", "wrong number of arguments for '" + spec.name().toLowerCase(Locale.ROOT)
        + "' command (expected: " + spec.usage() + ")");
  }

  /** The same error for a handler that checks a form the table cannot (e.g. PUT). */
  static CommandException wrongArity(String name, String usage) {
    return new CommandException("wrong number of arguments for '" + name.toLowerCase(Locale.ROOT)
        + "' command (expected: " + usage + ")");
  }
}
