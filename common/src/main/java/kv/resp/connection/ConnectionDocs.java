package kv.resp.connection;

import static kv.resp.connection.CommandDoc.Arg.integer;
import static kv.resp.connection.CommandDoc.Arg.pattern;
import static kv.resp.connection.CommandDoc.Arg.pureToken;
import static kv.resp.connection.CommandDoc.Arg.string;

import java.util.List;
import kv.resp.connection.CommandDoc.Arg;

/** The COMMAND DOCS entries of the connection commands. Immutable. */
final class ConnectionDocs {
  private ConnectionDocs() {}

  static final List<CommandDoc> ALL = List.of(
      CommandDoc.of("ping", -1, "fast", "connection", "Returns PONG, or the message if one is given.",
          string("message").optional()),
      CommandDoc.of("echo", 2, "fast", "connection", "Returns the given string (binary-safe).", string("message")),
      CommandDoc.of("quit", -1, "fast", "connection", "Closes the connection after answering OK."),
      CommandDoc.of("hello", -1, "fast", "connection",
          "Switches the protocol (2: RESP2, 3: RESP3) and returns the server's and connection's properties.",
          Arg.block("arguments", integer("protover"),
              Arg.block("auth", string("username"), string("password")).token("AUTH").optional(),
              string("clientname").token("SETNAME").optional()).optional()),
      CommandDoc.of("auth", -2, "fast", "connection",
          "Authenticates the connection: AUTH password (user default, the clients'), AUTH cluster password (the cluster's role).",
          string("username").optional(), string("password")),
      CommandDoc.of("client", -2, "", "connection",
          "Connection management: ID, GETNAME, SETNAME, SETINFO, INFO, LIST, KILL, REPLY, HELP.",
          Arg.oneOf("subcommand", pureToken("ID"), pureToken("GETNAME"), string("name").token("SETNAME"),
              Arg.block("setinfo", Arg.oneOf("attribute", string("libname").token("LIB-NAME"),
                  string("libver").token("LIB-VER"))).token("SETINFO"),
              pureToken("INFO"), pureToken("LIST"), string("ip:port").token("KILL"),
              Arg.oneOf("mode", pureToken("ON"), pureToken("OFF"), pureToken("SKIP")).token("REPLY"),
              pureToken("HELP"))),
      CommandDoc.of("select", 2, "fast", "connection", "Selects the database; KV has one, numbered 0.",
          integer("index")),
      CommandDoc.of("reset", 1, "fast", "connection",
          "Resets the connection: RESP2, no name, replies on. Answers RESET."),
      CommandDoc.of("command", -1, "", "server",
          "Describes the commands: COUNT, LIST, INFO [name ...], DOCS [name ...], HELP.",
          Arg.oneOf("subcommand", pureToken("COUNT"), pureToken("LIST"),
              string("command-name").token("INFO").multiple(), string("command-name").token("DOCS").multiple(),
              pureToken("HELP")).optional()),
      CommandDoc.of("config", -3, "", "server",
          "CONFIG GET parameter [parameter ...]: the server's settings (set them with command-line flags).",
          pattern("parameter").token("GET").multiple()));
}
