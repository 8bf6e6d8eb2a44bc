package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.resp.ReplicaCommand;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * Connection commands, enough of Redis's for redis-cli, redis-benchmark and client libraries:
 * PING, ECHO, QUIT, SELECT, HELLO (RESP2 only) and CLIENT. Thread-safe.
 */
final class ConnectionCommands {
  static final String HELLO_USAGE = "HELLO [2 [SETNAME name]]";
  static final String CLIENT_USAGE = "CLIENT SETNAME|GETNAME|SETINFO|ID|INFO|LIST|NO-EVICT|NO-TOUCH|REPLY ON|HELP";

  private final ServerStats stats;

  ConnectionCommands(ServerStats stats) {
    this.stats = stats;
  }

  void register(CommandTable table) {
    table.add(ReplicaCommand.PING.name(), 0, 1, ReplicaCommand.PING.usage(), this::ping)
        .add("ECHO", 1, 1, "ECHO message", (r, s) -> new Resp.Bulk(r.args().get(1)))
        .add("QUIT", 0, CommandTable.MANY, "QUIT", this::quit)
        .add("SELECT", 1, 1, "SELECT 0", this::select)
        .add("HELLO", 0, CommandTable.MANY, HELLO_USAGE, this::hello)
        .add("CLIENT", 1, CommandTable.MANY, CLIENT_USAGE, this::client);
  }

  private Resp ping(Request request, Session session) {
    return request.size() == 1 ? new Resp.Simple("PONG") : new Resp.Bulk(request.args().get(1));
  }

  private Resp quit(Request request, Session session) {
    session.requestClose();
    return Resp.OK;
  }

  private Resp select(Request request, Session session) {
    if (!request.arg(1).equals("0")) {
      throw new CommandException("DB index: '" + Replies.quote(request.arg(1))
          + "' is out of range (expected: 0, kvServer has one database)");
    }
    return Resp.OK;
  }

  private Resp hello(Request request, Session session) {
    if (request.size() > 1) {
      String proto = request.arg(1);
      if (proto.equals("3")) {
        throw new CommandException("NOPROTO", "unsupported protocol version", null);
      }
      if (!proto.equals("2")) {
        throw new CommandException("NOPROTO", "unsupported protocol version '" + Replies.quote(proto)
            + "' (expected: 2; kvServer speaks RESP2)", null);
      }
      for (int i = 2; i < request.size(); i++) {
        String option = request.arg(i).toUpperCase(Locale.ROOT);
        if (option.equals("SETNAME") && i + 1 < request.size()) {
          session.name(checkName(request.arg(++i)));
        } else if (option.equals("AUTH")) {
          throw new CommandException("AUTH is not supported (expected: HELLO 2 without AUTH; kvServer has no passwords)");
        } else {
          throw CommandTable.wrongArity("HELLO", HELLO_USAGE);
        }
      }
    }
    return new Resp.Array(List.of(
        Replies.bulk("server"), Replies.bulk("kv"),
        Replies.bulk("version"), Replies.bulk(KvServer.VERSION),
        Replies.bulk("proto"), new Resp.Int(2),
        Replies.bulk("id"), new Resp.Int(session.id()),
        Replies.bulk("mode"), Replies.bulk("standalone"),
        Replies.bulk("role"), Replies.bulk("master"),
        Replies.bulk("modules"), new Resp.Array(List.of())));
  }

  private Resp client(Request request, Session session) {
    String sub = request.arg(1).toUpperCase(Locale.ROOT);
    int args = request.size() - 2;
    if (sub.equals("SETNAME") && args == 1) {
      session.name(checkName(request.arg(2)));
      return Resp.OK;
    } else if (sub.equals("GETNAME") && args == 0) {
      String name = session.name();
      return name == null || name.isEmpty() ? Resp.NullBulk.INSTANCE : Replies.bulk(name);
    } else if (sub.equals("ID") && args == 0) {
      return new Resp.Int(session.id());
    } else if (sub.equals("INFO") && args == 0) {
      return Replies.bulk(session.describe(System.currentTimeMillis()) + "\n");
    } else if (sub.equals("LIST")) {
      StringBuilder out = new StringBuilder();
      long now = System.currentTimeMillis();
      for (Session s : stats.sessions()) {
        out.append(s.describe(now)).append('\n');
      }
      return Replies.bulk(out.toString());
    } else if (sub.equals("SETINFO") && args == 2) {
      return Resp.OK;
    } else if ((sub.equals("NO-EVICT") || sub.equals("NO-TOUCH")) && args == 1) {
      return Resp.OK;
    } else if (sub.equals("REPLY") && args == 1 && request.arg(2).equalsIgnoreCase("ON")) {
      return Resp.OK;
    } else if (sub.equals("HELP")) {
      List<Resp> lines = new ArrayList<>();
      for (String line : CLIENT_USAGE.substring("CLIENT ".length()).split("\\|")) {
        lines.add(new Resp.Simple(line));
      }
      return new Resp.Array(lines);
    }
    throw new CommandException("unknown subcommand or wrong number of arguments for 'CLIENT "
        + Replies.quote(request.arg(1)) + "' (expected: " + CLIENT_USAGE + ")");
  }

  private static String checkName(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) <= ' ') {
        throw new CommandException("client name: '" + Replies.quote(name)
            + "' (expected: no spaces, newlines or other special characters)");
      }
    }
    return name;
  }
}
