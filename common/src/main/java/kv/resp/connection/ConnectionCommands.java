package kv.resp.connection;

import static kv.resp.connection.Errors.arity;
import static kv.resp.connection.Errors.error;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kv.resp.InvalidUtf8Exception;
import kv.resp.Protocol;
import kv.resp.Request;
import kv.resp.Resp;
import kv.security.Access;

/**
 * The commands Redis clients send when they connect or first try, answered as Redis 7 answers
 * them, for every RESP port (kvServer, the broker's router): PING, ECHO, QUIT, HELLO, AUTH,
 * CLIENT, SELECT, RESET, COMMAND and CONFIG GET. Server-specific facts come from
 * {@link ServerFacts}. Returns replies and never writes; the caller encodes them in the client's
 * {@link ClientState#protocol()} and honours {@link ClientState#replyWanted()} and
 * {@link ClientState#closeRequested()}. Thread-safe.
 */
public final class ConnectionCommands {
  /*
   * Who may run what (Permissions.check, as Redis): AUTH, HELLO, QUIT and RESET before
   * authentication (Redis's no-auth commands; HELLO then only with its AUTH option), the others
   * once authenticated, and CLIENT KILL and CLIENT LIST (Redis's @admin subcommands: another
   * connection's address, ending the broker's connections) only with the cluster role. Users and
   * passwords come with each connection's ClientState (kv.security.Users).
   */
  /** The upper-case names of the commands {@link #execute} answers. */
  public static final Set<String> NAMES =
      Set.of("PING", "ECHO", "QUIT", "HELLO", "AUTH", "CLIENT", "SELECT", "RESET", "COMMAND", "CONFIG");

  private static final String HELLO_USAGE = "HELLO [protover [AUTH username password] [SETNAME clientname]]";
  private static final Set<String> BEFORE_AUTH = Set.of("AUTH", "HELLO", "QUIT", "RESET");
  private static final Map<String, Access> CLIENT_SUBCOMMANDS = Map.of("KILL", Access.CLUSTER, "LIST", Access.CLUSTER);

  private final ServerFacts facts;
  private final ClientCommand client;
  private final IntrospectionCommands introspection;

  public ConnectionCommands(ServerFacts facts) {
    this.facts = facts;
    this.client = new ClientCommand(facts);
    this.introspection = new IntrospectionCommands(facts);
  }

  /** The docs of these commands, for a server's COMMAND reply. */
  public static List<CommandDoc> docs() {
    return ConnectionDocs.ALL;
  }

  /** Who may run {@code command} (one of {@link #NAMES}); some CLIENT subcommands need more. */
  public static Access access(String command) {
    return BEFORE_AUTH.contains(command) ? Access.OPEN : Access.CLIENT;
  }

  /**
   * Whether {@code request} tries a password (AUTH, or HELLO with AUTH): the I/O layer delays
   * such a request from an address with recent failures ({@link kv.security.AuthThrottle}) and
   * compares {@link ClientState#authFailures()} before and after it.
   */
  public static boolean isAuthAttempt(Request request) {
    return Authentication.isAttempt(request);
  }

  /**
   * The reply to {@code request}, whose command is one of {@link #NAMES}; {@code -NOAUTH} or
   * {@code -NOPERM} when the connection may not run it. Never throws for bad input: errors are
   * error replies.
   */
  public Resp execute(Request request, ClientState state) {
    try {
      Resp denied = checkAccess(request, state);
      return denied != null ? denied : dispatch(request, state);
    } catch (InvalidUtf8Exception e) {
      return error("ERR " + e.getMessage());
    }
  }

  private static Resp checkAccess(Request request, ClientState state) {
    String command = request.command();
    Resp denied = Permissions.check(state, access(command), command.toLowerCase(Locale.ROOT));
    if (denied == null && command.equals("CLIENT") && request.size() > 1) {
      String sub = request.arg(1).toUpperCase(Locale.ROOT);
      Access access = CLIENT_SUBCOMMANDS.get(sub);
      if (access != null) {
        denied = Permissions.check(state, access, "client|" + sub.toLowerCase(Locale.ROOT));
      }
    }
    return denied;
  }

  private Resp dispatch(Request request, ClientState state) {
    int argc = request.size() - 1;
    switch (request.command()) {
      case "PING":
        if (argc > 1) {
          return arity("ping", "PING [message]");
        }
        return argc == 0 ? new Resp.Simple("PONG") : new Resp.Bulk(request.args().get(1));
      case "ECHO":
        return argc == 1 ? new Resp.Bulk(request.args().get(1)) : arity("echo", "ECHO message");
      case "QUIT":
        state.requestClose();
        return Resp.OK;
      case "SELECT":
        return argc == 1 ? select(request.arg(1)) : arity("select", "SELECT 0");
      case "RESET":
        if (argc != 0) {
          return arity("reset", "RESET");
        }
        state.reset();
        return new Resp.Simple("RESET");
      case "AUTH":
        return Authentication.auth(request, state);
      case "HELLO":
        return hello(request, state);
      case "CLIENT":
        return client.execute(request, state);
      case "COMMAND":
        return introspection.command(request);
      case "CONFIG":
        return introspection.config(request);
      default:
        throw new IllegalArgumentException("command: " + request.command() + " (expected: one of " + NAMES + ")");
    }
  }

  private static Resp select(String index) {
    long db;
    try {
      db = Long.parseLong(index);
    } catch (NumberFormatException e) {
      return error("ERR value is not an integer or out of range");
    }
    return db == 0 ? Resp.OK : error("ERR DB index is out of range (KV has one database: 0)");
  }

  private Resp hello(Request request, ClientState state) {
    Protocol protocol = null;
    if (request.size() > 1) {
      long version;
      try {
        version = Long.parseLong(request.arg(1));
      } catch (NumberFormatException e) {
        return error("ERR Protocol version is not an integer or out of range");
      }
      if (version != 2 && version != 3) {
        return error("NOPROTO unsupported protocol version " + version + " (expected: 2 or 3)");
      }
      protocol = version == 2 ? Protocol.RESP2 : Protocol.RESP3;
    }
    String user = null;
    byte[] password = null;
    String name = null;
    for (int i = 2; i < request.size(); i++) {
      String option = request.arg(i).toUpperCase(Locale.ROOT);
      int more = request.size() - 1 - i;
      if (option.equals("AUTH") && more >= 2) {
        user = request.arg(i + 1);
        password = request.args().get(i + 2);
        i += 2;
      } else if (option.equals("SETNAME") && more >= 1) {
        name = request.arg(++i);
      } else {
        return error("ERR Syntax error in HELLO option '" + Errors.quote(request.arg(i)) + "' (expected: "
            + HELLO_USAGE + ")");
      }
    }
    if (name != null) {
      Resp bad = ClientCommand.checkAttribute("Client names", name);
      if (bad != null) {
        return bad;
      }
    }
    if (user != null && !Authentication.login(user, password, state)) {
      return error(Authentication.WRONGPASS);
    }
    if (!state.authenticated()) {
      return error(Authentication.HELLO_NOAUTH);
    }
    if (name != null) {
      state.name(name);
    }
    if (protocol != null) {
      state.protocol(protocol);
    }
    return Resp.Map.of("server", Resp.Bulk.of(facts.server()), "version", Resp.Bulk.of(facts.version()),
        "proto", new Resp.Int(state.protocol().version()), "id", new Resp.Int(state.id()),
        "mode", Resp.Bulk.of("standalone"), "role", Resp.Bulk.of("master"), "modules", new Resp.Array(List.of()));
  }
}
