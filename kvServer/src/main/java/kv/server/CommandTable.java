package kv.server;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import kv.resp.InvalidUtf8Exception;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.connection.RedisAlternatives;

/**
 * The commands a server answers, keyed by upper-case name, each with its arity and usage line;
 * checks the arity, runs the handler and turns a {@link CommandException} into an error reply.
 * Filled before the server starts, read-only afterwards, so thread-safe once published.
 */
final class CommandTable {
  static final int MANY = Integer.MAX_VALUE;

  /** Arguments counted without the command word. */
  record Spec(String name, int minArgs, int maxArgs, String usage, Handler handler) {}

  private final Map<String, Spec> specs = new TreeMap<>();

  CommandTable add(String name, int minArgs, int maxArgs, String usage, Handler handler) {
    specs.put(name, new Spec(name, minArgs, maxArgs, usage, handler));
    return this;
  }

  /** The same handler under another name (e.g. DEL for DELETE). */
  CommandTable alias(String alias, String name) {
    Spec s = specs.get(name);
    specs.put(alias, new Spec(alias, s.minArgs(), s.maxArgs(), s.usage(), s.handler()));
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
