package kv.server;

import java.util.Collections;
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
 * The commands a server answers, keyed by upper-case name, each with its arity, usage line and
 * who may run it ({@link Access}: the clients' data commands, or the cluster's replication and
 * sync commands); checks the arity and the connection's permission, runs the handler and turns
 * a {@link CommandException} into an error reply. Filled before the server starts, read-only
 * afterwards, so thread-safe once published.
 */
final class CommandTable {
  /*
   * Roles are given where commands are registered, by the view the registering class gets
   * (KvServer.commandTable: table.forRole(Access.CLIENT) for DataCommands, ...), so a command a
   * class adds later gets its class's role without an if anywhere; the table itself registers
   * as CLUSTER, so a command registered without a role is refused to clients rather than open.
   */
  static final int MANY = Integer.MAX_VALUE;

  /** Arguments counted without the command word; {@code access}: who may run it. */
  record Spec(String name, int minArgs, int maxArgs, String usage, Handler handler, Access access) {}

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
    specs.put(name, new Spec(name, minArgs, maxArgs, usage, handler, access));
    return this;
  }

  /** The same handler (and access) under another name (e.g. DEL for DELETE). */
  CommandTable alias(String alias, String name) {
    Spec s = specs.get(name);
    specs.put(alias, new Spec(alias, s.minArgs(), s.maxArgs(), s.usage(), s.handler(), s.access()));
    return this;
  }

  Map<String, Spec> specs() {
    return Collections.unmodifiableMap(specs);
  }

  /** The reply to {@code request}; never throws for bad input (only for a bug in a handler). */
  Resp execute(Request request, Session session) {
    String name = request.command();
    Spec spec = specs.get(name);
    if (spec == null) {
      String hint = RedisAlternatives.hint(name);
      return Replies.error("ERR", "unknown command '" + Replies.quote(request.args().get(0)) + "'"
          + (hint == null ? "" : " (" + hint + ")"));
    }
    int args = request.size() - 1;
    if (args < spec.minArgs() || args > spec.maxArgs()) {
      return wrongArity(spec);
    }
    Resp denied = Permissions.check(session.client(), spec.access(), name.toLowerCase(Locale.ROOT));
    if (denied != null) {
      return denied;
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
