package kv.resp.connection;

import static kv.resp.connection.Errors.error;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * COMMAND (list, COUNT, LIST, INFO, DOCS) from the server's {@link CommandDoc}s, so redis-cli
 * shows hints and help; CONFIG GET over the server's parameters, with Redis's glob patterns.
 * Thread-safe.
 */
final class IntrospectionCommands {
  private static final List<String> COMMAND_HELP = List.of(
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)", "    Return details about all commands.",
      "COUNT", "    Return the total number of commands.",
      "LIST", "    Return a list of all commands.",
      "INFO [<command-name> ...]", "    Return details about the given commands, or all of them.",
      "DOCS [<command-name> ...]", "    Return documentation about the given commands, or all of them.",
      "HELP", "    Print this help.");

  private final ServerFacts facts;

  IntrospectionCommands(ServerFacts facts) {
    this.facts = facts;
  }

  Resp command(Request request) {
    List<CommandDoc> docs = facts.commands();
    if (request.size() == 1) {
      return new Resp.Array(docs.stream().map(CommandDoc::info).toList());
    }
    String sub = request.arg(1).toUpperCase(Locale.ROOT);
    switch (sub) {
      case "COUNT":
        return new Resp.Int(docs.size());
      case "LIST":
        if (request.size() > 2) {
          return error("ERR COMMAND LIST FILTERBY is not supported by KV (expected: COMMAND LIST)");
        }
        return new Resp.Array(docs.stream().map(d -> (Resp) Resp.Bulk.of(d.name())).toList());
      case "INFO": {
        if (request.size() == 2) {
          return new Resp.Array(docs.stream().map(CommandDoc::info).toList());
        }
        List<Resp> out = new ArrayList<>();
        for (int i = 2; i < request.size(); i++) {
          CommandDoc doc = find(docs, request.arg(i));
          out.add(doc == null ? Resp.NullBulk.INSTANCE : doc.info());
        }
        return new Resp.Array(out);
      }
      case "DOCS": {
        List<Resp.Pair> pairs = new ArrayList<>();
        for (CommandDoc doc : docs) {
          if (request.size() == 2 || wanted(request, doc.name())) {
            pairs.add(new Resp.Pair(Resp.Bulk.of(doc.name()), doc.docs()));
          }
        }
        return new Resp.Map(pairs);
      }
      case "HELP":
        return new Resp.Array(COMMAND_HELP.stream().map(l -> (Resp) new Resp.Simple(l)).toList());
      case "GETKEYS", "GETKEYSANDFLAGS":
        return error("ERR COMMAND " + sub + " is not supported by KV (expected: COMMAND, COUNT, LIST, INFO, DOCS"
            + " or HELP; COMMAND INFO gives the key positions)");
      default:
        return error("ERR unknown subcommand '" + Errors.quote(request.arg(1)) + "'. Try COMMAND HELP.");
    }
  }

  private static CommandDoc find(List<CommandDoc> docs, String name) {
    for (CommandDoc d : docs) {
      if (d.name().equalsIgnoreCase(name)) {
        return d;
      }
    }
    return null;
  }

  private static boolean wanted(Request request, String name) {
    for (int i = 2; i < request.size(); i++) {
      if (request.arg(i).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  Resp config(Request request) {
    if (request.size() < 2) {
      return Errors.arity("config", "CONFIG GET parameter [parameter ...]");
    }
    String sub = request.arg(1).toUpperCase(Locale.ROOT);
    if (!sub.equals("GET")) {
      return error("ERR CONFIG " + Errors.quote(request.arg(1)) + " is not supported (expected: CONFIG GET parameter;"
          + " configure KV with its command-line flags)");
    }
    if (request.size() < 3) {
      return Errors.arity("config|get", "CONFIG GET parameter [parameter ...]");
    }
    List<Resp.Pair> pairs = new ArrayList<>();
    for (Map.Entry<String, String> e : facts.config().entrySet()) {
      for (int i = 2; i < request.size(); i++) {
        if (Glob.matches(request.arg(i).toLowerCase(Locale.ROOT), e.getKey())) {
          pairs.add(new Resp.Pair(Resp.Bulk.of(e.getKey()), Resp.Bulk.of(e.getValue())));
          break;
        }
      }
    }
    return new Resp.Map(pairs);
  }

  /** Redis's glob for CONFIG GET: {@code *}, {@code ?} and plain characters. */
  static final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
      return matches(pattern, 0, text, 0);
    }

    private static boolean matches(String p, int pi, String t, int ti) {
      while (pi < p.length()) {
        char c = p.charAt(pi);
        if (c == '*') {
          for (int k = ti; k <= t.length(); k++) {
            if (matches(p, pi + 1, t, k)) {
              return true;
            }
          }
          return false;
        }
        if (ti >= t.length() || (c != '?' && c != t.charAt(ti))) {
          return false;
        }
        pi++;
        ti++;
      }
      return ti == t.length();
    }
  }
}
