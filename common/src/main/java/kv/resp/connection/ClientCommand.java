package kv.resp.connection;

import static kv.resp.connection.Errors.arity;
import static kv.resp.connection.Errors.error;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * CLIENT and its subcommands as Redis 7.2 answers them: ID, GETNAME, SETNAME, SETINFO, INFO,
 * LIST, KILL, REPLY, HELP; the others (PAUSE, TRACKING, NO-EVICT, ...) are refused with an error
 * that says KV does not have them, never accepted and ignored. Thread-safe.
 */
final class ClientCommand {
  private static final List<String> HELP = List.of(
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ID", "    Return the ID of the current connection.",
      "GETNAME", "    Return the name of the current connection.",
      "SETNAME <name>", "    Assign the name <name> to the current connection.",
      "SETINFO <LIB-NAME|LIB-VER> <value>", "    Set the client library name or version.",
      "INFO", "    Return information about the current client connection.",
      "LIST [TYPE normal] [ID <id> [<id> ...]]", "    Return information about client connections.",
      "KILL <ip:port>", "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options: ID <id>, ADDR <ip:port>, LADDR <ip:port>, TYPE normal, USER username,"
          + " SKIPME (YES|NO).",
      "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
      "HELP", "    Print this help.");
  private static final List<String> NOT_SUPPORTED = List.of("PAUSE", "UNPAUSE", "TRACKING", "TRACKINGINFO",
      "CACHING", "GETREDIR", "UNBLOCK", "NO-EVICT", "NO-TOUCH");

  private final ServerFacts facts;

  ClientCommand(ServerFacts facts) {
    this.facts = facts;
  }

  Resp execute(Request request, ClientState state) {
    if (request.size() < 2) {
      return arity("client", "CLIENT subcommand [arguments], see CLIENT HELP");
    }
    String sub = request.arg(1).toUpperCase(Locale.ROOT);
    int args = request.size() - 2;
    long now = System.currentTimeMillis();
    switch (sub) {
      case "ID":
        return args == 0 ? new Resp.Int(state.id()) : arity("client|id", "CLIENT ID");
      case "GETNAME":
        return args != 0 ? arity("client|getname", "CLIENT GETNAME")
            : state.name() == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(state.name());
      case "SETNAME":
        return args == 1 ? setName(request.arg(2), state) : arity("client|setname", "CLIENT SETNAME name");
      case "SETINFO":
        return args == 2 ? setInfo(request.arg(2), request.arg(3), state)
            : arity("client|setinfo", "CLIENT SETINFO LIB-NAME|LIB-VER value");
      case "INFO":
        return args == 0 ? Resp.Verbatim.text(state.describe(now) + "\n") : arity("client|info", "CLIENT INFO");
      case "LIST":
        return list(request, now);
      case "KILL":
        return args == 0 ? arity("client|kill", "CLIENT KILL ip:port | CLIENT KILL option value ...")
            : new ClientKill(facts, state).execute(request);
      case "REPLY":
        return args == 1 ? reply(request.arg(2).toUpperCase(Locale.ROOT), state) : arity("client|reply", "CLIENT REPLY ON|OFF|SKIP");
      case "HELP":
        return new Resp.Array(HELP.stream().map(l -> (Resp) new Resp.Simple(l)).toList());
      default:
        if (NOT_SUPPORTED.contains(sub)) {
          return error("ERR CLIENT " + sub + " is not supported by KV (expected: one of ID, GETNAME, SETNAME, SETINFO,"
              + " INFO, LIST, KILL, REPLY, HELP)");
        }
        return error("ERR unknown subcommand '" + Errors.quote(request.arg(1)) + "'. Try CLIENT HELP.");
    }
  }

  private static Resp setName(String name, ClientState state) {
    Resp bad = checkAttribute("Client names", name);
    if (bad != null) {
      return bad;
    }
    state.name(name);
    return Resp.OK;
  }

  private static Resp setInfo(String attribute, String value, ClientState state) {
    String attr = attribute.toLowerCase(Locale.ROOT);
    if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
      return error("ERR Unrecognized option '" + Errors.quote(attribute) + "' (expected: LIB-NAME or LIB-VER)");
    }
    Resp bad = checkAttribute(attr, value);
    if (bad != null) {
      return bad;
    }
    state.library(attr, value);
    return Resp.OK;
  }

  /** As Redis: printable ASCII without spaces ('!' to '~'); null when {@code value} is fine. */
  static Resp checkAttribute(String what, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '!' || c > '~') {
        return error("ERR " + what + " cannot contain spaces, newlines or special characters. (got: '"
            + Errors.quote(value) + "')");
      }
    }
    return null;
  }

  private Resp list(Request request, long now) {
    List<Long> ids = null;
    boolean none = false;
    for (int i = 2; i < request.size(); i++) {
      String option = request.arg(i).toUpperCase(Locale.ROOT);
      if (option.equals("TYPE") && i + 1 < request.size()) {
        String type = request.arg(++i).toLowerCase(Locale.ROOT);
        if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
          return error("ERR Unknown client type '" + Errors.quote(type) + "'");
        }
        none |= !type.equals("normal");
      } else if (option.equals("ID") && i + 1 < request.size()) {
        ids = new ArrayList<>();
        while (i + 1 < request.size()) {
          try {
            ids.add(Long.parseLong(request.arg(++i)));
          } catch (NumberFormatException e) {
            return error("ERR Invalid client ID");
          }
        }
      } else {
        return error("ERR syntax error (expected: CLIENT LIST [TYPE normal] [ID id [id ...]])");
      }
    }
    StringBuilder out = new StringBuilder();
    if (!none) {
      for (ClientState c : facts.clients()) {
        if (ids == null || ids.contains(c.id())) {
          out.append(c.describe(now)).append('\n');
        }
      }
    }
    return Resp.Verbatim.text(out.toString());
  }

  private static Resp reply(String mode, ClientState state) {
    if (!mode.equals("ON") && !mode.equals("OFF") && !mode.equals("SKIP")) {
      return error("ERR syntax error (expected: CLIENT REPLY ON|OFF|SKIP)");
    }
    state.replyMode(mode);
    return Resp.OK;
  }
}
