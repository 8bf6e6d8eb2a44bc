package kv.broker.router;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.command.CommandExecutor;
import kv.broker.command.CommandHelp;
import kv.broker.command.CommandParser;
import kv.broker.command.StatusTable;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.net.NettyTransport;
import kv.record.RecordParser;
import kv.resp.InvalidUtf8Exception;
import kv.resp.Protocol;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.connection.ClientState;
import kv.resp.connection.ConnectionCommands;
import kv.resp.connection.Permissions;
import kv.security.Access;
import kv.security.AuthThrottle;
import kv.security.Users;

/**
 * Answers one RESP request to the router: the connection commands (PING, HELLO, CLIENT, ...)
 * through the implementation every RESP port shares ({@link ConnectionCommands}, with
 * {@link RouterFacts}); INFO; MULTI/EXEC and the commands queued between them
 * ({@link TransactionCommands}); RedisJSON's commands ({@link JsonCommand}, run by the
 * {@link JsonExecutor}); the broker commands (GET, QUERY, PUT, SETVALUE, APPEND, DEL, EXISTS,
 * TYPE, DBSIZE, KEYS, SCAN, HELP, STATUS) parsed by the {@link CommandParser}, run by the {@link CommandExecutor}
 * and turned into replies by {@link RespReplies}. Returns a {@link Step} and never writes: the
 * connection orders, runs and writes. Thread-safe.
 */
public final class RouterCommands {

  /** What a request asks of its connection. */
  sealed interface Step {
    /** The reply, known at once. */
    record Now(Resp resp) implements Step {}

    /**
     * A command on the engine, to {@code run} once the connection's earlier commands on
     * {@code keys} have completed ({@link KeyOrder}); its future never completes exceptionally
     * for a failure the engine reports.
     */
    record Later(List<String> keys, KeyOrder.Mode mode, Supplier<CompletableFuture<Resp>> run) implements Step {}
  }

  private final Engine engine;
  private final CommandParser parser;
  private final Duration timeout;
  private final Map<String, String> brokerInfo;
  private final Clock clock;
  private final Instant started;
  private final CommandExecutor executor;
  private final RouterClients clients;
  private final AuthThrottle throttle;
  private final ConnectionCommands connection;
  private final TransactionCommands transactions;
  private final RecordParser records;
  private final JsonExecutor json;

  /**
   * @param timeout how long a reply may take before the router connection answers an error in
   *     its place (so one lost answer cannot stall a pipelined connection forever)
   * @param brokerInfo fixed INFO fields (version, instance id, k, ...), in order
   */
  public RouterCommands(Engine engine, CommandParser parser, Duration timeout,
      Map<String, String> brokerInfo, Clock clock) {
    this(engine, parser, timeout, brokerInfo, clock, Users.OPEN, AuthThrottle.DEFAULT);
  }

  /**
   * As above, for a port whose clients authenticate as one of {@code users} (AUTH, HELLO AUTH),
   * wrong passwords slowed by {@code throttle}.
   */
  public RouterCommands(Engine engine, CommandParser parser, Duration timeout,
      Map<String, String> brokerInfo, Clock clock, Users users, AuthThrottle.Policy throttle) {
    this.clients = new RouterClients(users);
    this.throttle = new AuthThrottle(throttle);
    this.engine = engine;
    this.parser = parser;
    this.timeout = timeout;
    this.brokerInfo = brokerInfo;
    this.clock = clock;
    this.started = clock.instant();
    this.executor = new CommandExecutor(engine, timeout);
    this.connection = new ConnectionCommands(new RouterFacts(brokerInfo.getOrDefault("kv_version", "0"), clients));
    this.transactions = new TransactionCommands(engine.transactions(), parser);
    this.records = parser.records();
    this.json = new JsonExecutor(engine, records);
  }

  /** The pace of the port's password attempts, per client address. */
  AuthThrottle throttle() {
    return throttle;
  }

  /** The connected clients and the counters INFO shows. */
  RouterClients clients() {
    return clients;
  }

  Step handle(Request request, RouterSession session) {
    try {
      return dispatch(request, session);
    } catch (InvalidUtf8Exception e) {
      // A key or record that is not UTF-8 text: an error reply, as on kvServer (never two keys merged).
      return new Step.Now(new Resp.Error("ERR " + e.getMessage()));
    }
  }

  private Step dispatch(Request request, RouterSession session) {
    String command = request.command();
    ClientState client = session.client();
    if (ConnectionCommands.NAMES.contains(command) && (session.transaction() == null
        || TransactionCommands.IMMEDIATE.contains(command))) {
      Resp reply = connection.execute(request, client);
      if (command.equals("RESET")) {
        session.end();
      }
      return new Step.Now(reply);
    }
    if (!client.authenticated() || !client.role().allows(Access.CLIENT)) { // (the name's lower case only then)
      return new Step.Now(Permissions.check(client, Access.CLIENT, command.toLowerCase(Locale.ROOT)));
    }
    if (TransactionCommands.NAMES.contains(command)) {
      return transactions.execute(request, session);
    } else if (session.transaction() != null) {
      return transactions.queue(request, session);
    } else if (command.equals("INFO")) {
      return new Step.Now(Resp.Verbatim.text(info()));
    }
    return broker(request, client);
  }

  private Step broker(Request request, ClientState client) {
    if (JsonCommand.NAMES.contains(request.command())) {
      return json(request, client);
    }
    Command command;
    try {
      command = parser.parseRequest(request);
    } catch (BadCommandException e) {
      return new Step.Now(RespReplies.error(e));
    }
    if (command instanceof Command.Help) {
      return new Step.Now(Resp.Bulk.of(CommandHelp.text()));
    } else if (command instanceof Command.Status) {
      return new Step.Now(Resp.Bulk.of(StatusTable.format(engine.status(), clock.instant())));
    } else if (command instanceof Command.Exit) {
      client.requestClose();
      return new Step.Now(Resp.OK);
    }
    return new Step.Later(keys(command), mode(command), () -> run(command));
  }

  private Step json(Request request, ClientState client) {
    JsonCommand command;
    try {
      command = JsonCommand.parse(request, records);
    } catch (IllegalArgumentException e) {
      return new Step.Now(new Resp.Error("ERR " + e.getMessage()));
    }
    Protocol protocol = client.protocol();
    return new Step.Later(command.keys(), command.writes() ? KeyOrder.Mode.WRITE : KeyOrder.Mode.READ,
        () -> json.run(command, protocol));
  }

  private CompletableFuture<Resp> run(Command command) {
    try {
      return executor.execute(command).handle((outcome, error) -> error == null
          ? RespReplies.of(command, outcome)
          : RespReplies.of(command, Outcome.Failed.of(error)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(RespReplies.of(command, Outcome.Failed.of(e)));
    }
  }

  /** The keys a data command reads or writes; none for a walk of the key space. */
  private static List<String> keys(Command command) {
    if (command instanceof Command.Get g) {
      return List.of(g.key());
    } else if (command instanceof Command.Query q) {
      return List.of(q.path().key());
    } else if (command instanceof Command.Put p) {
      return List.of(p.record().key());
    } else if (command instanceof Command.Delete d) {
      return d.keys();
    } else if (command instanceof Command.Exists e) {
      return e.keys();
    } else if (command instanceof Command.Type t) {
      return List.of(t.key());
    } else if (command instanceof Command.Append a) {
      return List.of(a.path().key());
    } else if (command instanceof Command.PutValue v) {
      return List.of(v.key());
    }
    return List.of();
  }

  private static KeyOrder.Mode mode(Command command) {
    if (command instanceof Command.Put || command instanceof Command.Delete || command instanceof Command.Append
        || command instanceof Command.PutValue) {
      return KeyOrder.Mode.WRITE;
    } else if (command instanceof Command.Keys || command instanceof Command.Scan || command instanceof Command.DbSize) {
      return KeyOrder.Mode.ALL;
    }
    return KeyOrder.Mode.READ;
  }

  /** How long a reply may take before the connection answers {@link #noAnswer} in its place. */
  Duration answerTimeout() {
    return timeout;
  }

  /** The reply in place of one that did not come within {@link #answerTimeout}. */
  Resp noAnswer() {
    return new Resp.Error("ERR no answer within " + timeout.toMillis()
        + " ms (the request may or may not have been applied)");
  }

  String info() {
    StringBuilder out = new StringBuilder("# Broker\r\n");
    for (Map.Entry<String, String> e : brokerInfo.entrySet()) {
      out.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
    }
    EngineStatus status = engine.status();
    List<ServerStatus> servers = status.servers();
    out.append("tcp_port:").append(clients.port()).append("\r\n");
    out.append("multiplexing_api:").append(NettyTransport.best().apiName()).append("\r\n");
    out.append("start_time_ms:").append(started.toEpochMilli()).append("\r\n")
        .append("uptime_in_seconds:").append(Duration.between(started, clock.instant()).getSeconds()).append("\r\n");
    out.append("servers:").append(servers.size()).append("\r\n")
        .append("servers_up:").append(status.up()).append("\r\n")
        .append("connected_clients:").append(clients.connectedClients()).append("\r\n")
        .append("total_connections_received:").append(clients.totalConnections()).append("\r\n")
        .append("total_commands_processed:").append(clients.totalCommands()).append("\r\n")
        .append("\r\n# Servers\r\n");
    for (int i = 0; i < servers.size(); i++) {
      ServerStatus s = servers.get(i);
      out.append("server").append(i).append(":address=").append(s.address())
          .append(",state=").append(s.up() ? "up" : "down")
          .append(",since_ms=").append(s.since() == null ? -1 : s.since().toEpochMilli())
          .append(",records=").append(s.records())
          .append(",instance_id=").append(s.instanceId() == null ? "" : s.instanceId())
          .append(",catching_up=").append(s.catchingUp() ? 1 : 0)
          .append(",hints=").append(s.hints()).append("\r\n");
    }
    for (EngineStatus.Section section : status.sections()) {
      out.append("\r\n# ").append(section.title()).append("\r\n");
      for (Map.Entry<String, String> e : section.values().entrySet()) {
        out.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
      }
    }
    return out.toString();
  }
}
