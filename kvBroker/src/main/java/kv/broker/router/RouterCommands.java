package kv.broker.router;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import kv.resp.InvalidUtf8Exception;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * Answers one RESP request to the router: the connection commands Redis clients expect (PING,
 * ECHO, QUIT, COMMAND, CONFIG GET, HELLO, CLIENT, SELECT, INFO) here; the broker commands
 * (GET, QUERY, PUT, DELETE, EXISTS, DBSIZE, KEYS, SCAN, HELP, STATUS) parsed by the
 * {@link CommandParser}, run by the {@link CommandExecutor} and turned into replies by
 * {@link RespReplies}. Returns the reply as a future and never writes; the connection writes
 * replies in request order. Thread-safe.
 */
public final class RouterCommands {

  /** One request's reply, and whether the connection closes after it is written. */
  record Reply(CompletableFuture<Resp> resp, boolean close) {
    static Reply now(Resp resp) {
      return new Reply(CompletableFuture.completedFuture(resp), false);
    }
  }

  /** Counters and facts that INFO reports. */
  interface Stats {
    /** The port the router listens on. */
    int port();

    long connectedClients();

    long totalConnections();

    long totalCommands();
  }

  private final Engine engine;
  private final CommandParser parser;
  private final Duration timeout;
  private final Map<String, String> brokerInfo;
  private final Clock clock;
  private final Instant started;
  private final CommandExecutor executor;

  /**
   * @param timeout how long a reply may take before the router connection answers an error in
   *     its place (so one lost answer cannot stall a pipelined connection forever)
   * @param brokerInfo fixed INFO fields (version, instance id, k, ...), in order
   */
  public RouterCommands(Engine engine, CommandParser parser, Duration timeout,
      Map<String, String> brokerInfo, Clock clock) {
    this.engine = engine;
    this.parser = parser;
    this.timeout = timeout;
    this.brokerInfo = brokerInfo;
    this.clock = clock;
    this.started = clock.instant();
    this.executor = new CommandExecutor(engine, timeout);
  }

  Reply handle(Request request, Stats stats) {
    try {
      return dispatch(request, stats);
    } catch (InvalidUtf8Exception e) {
      // A key or record that is not UTF-8 text: an error reply, as on kvServer (never two keys merged).
      return Reply.now(new Resp.Error("ERR " + e.getMessage()));
    }
  }

  private Reply dispatch(Request request, Stats stats) {
    String command = request.command();
    int argc = request.size() - 1;
    switch (command) {
      case "PING":
        if (argc > 1) {
          return Reply.now(arity("PING", "PING [message]"));
        }
        return Reply.now(argc == 0 ? new Resp.Simple("PONG") : new Resp.Bulk(request.args().get(1)));
      case "ECHO":
        return Reply.now(argc == 1 ? new Resp.Bulk(request.args().get(1)) : arity("ECHO", "ECHO message"));
      case "QUIT":
      case "EXIT":
        return new Reply(CompletableFuture.completedFuture(Resp.OK), true);
      case "COMMAND":
        return Reply.now(commandCommand(request, argc));
      case "CONFIG":
        return Reply.now(config(request, argc));
      case "HELLO":
        return Reply.now(hello(request, argc));
      case "CLIENT":
        return Reply.now(client(request, argc));
      case "SELECT":
        if (argc != 1) {
          return Reply.now(arity("SELECT", "SELECT 0"));
        }
        return Reply.now(request.arg(1).equals("0") ? Resp.OK
            : new Resp.Error("ERR DB index is out of range: " + request.arg(1) + " (expected: 0)"));
      case "INFO":
        return Reply.now(Resp.Bulk.of(info(stats)));
      default:
        return broker(request);
    }
  }

  private Reply broker(Request request) {
    Command command;
    try {
      command = parser.parseRequest(request);
    } catch (BadCommandException e) {
      return Reply.now(RespReplies.error(e));
    }
    if (command instanceof Command.Help) {
      return Reply.now(Resp.Bulk.of(CommandHelp.text()));
    } else if (command instanceof Command.Status) {
      return Reply.now(Resp.Bulk.of(StatusTable.format(engine.status(), clock.instant())));
    } else if (command instanceof Command.Exit) {
      return new Reply(CompletableFuture.completedFuture(Resp.OK), true);
    }
    CompletableFuture<Resp> reply;
    try {
      reply = executor.execute(command).handle((outcome, error) -> error == null
          ? RespReplies.of(command, outcome)
          : RespReplies.of(command, Outcome.Failed.of(error)));
    } catch (RuntimeException e) {
      reply = CompletableFuture.completedFuture(RespReplies.of(command, Outcome.Failed.of(e)));
    }
    return new Reply(reply, false);
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

  private static Resp arity(String command, String usage) {
    return new Resp.Error("ERR wrong number of arguments for '" + command + "' (expected: " + usage + ")");
  }

  private static Resp commandCommand(Request request, int argc) {
    String sub = argc == 0 ? "" : request.arg(1).toUpperCase(Locale.ROOT);
    if (sub.equals("COUNT")) {
      return new Resp.Int(0);
    }
    // COMMAND and COMMAND DOCS: an empty list is enough for redis-cli (no hints, no errors).
    return new Resp.Array(List.of());
  }

  private static Resp config(Request request, int argc) {
    if (argc < 2 || !request.arg(1).equalsIgnoreCase("GET")) {
      return new Resp.Error("ERR only CONFIG GET parameter is supported");
    }
    List<Resp> pairs = new ArrayList<>();
    for (int i = 2; i <= argc; i++) {
      String name = request.arg(i).toLowerCase(Locale.ROOT);
      if (name.equals("save")) {
        pairs.add(Resp.Bulk.of("save"));
        pairs.add(Resp.Bulk.of(""));
      } else if (name.equals("appendonly")) {
        pairs.add(Resp.Bulk.of("appendonly"));
        pairs.add(Resp.Bulk.of("no"));
      }
    }
    return new Resp.Array(pairs);
  }

  private Resp hello(Request request, int argc) {
    if (argc >= 1 && !request.arg(1).equals("2")) {
      return new Resp.Error("NOPROTO unsupported protocol version " + request.arg(1) + " (expected: 2)");
    }
    return new Resp.Array(List.of(
        Resp.Bulk.of("server"), Resp.Bulk.of("kvBroker"),
        Resp.Bulk.of("version"), Resp.Bulk.of(brokerInfo.getOrDefault("kv_version", "0")),
        Resp.Bulk.of("proto"), new Resp.Int(2),
        Resp.Bulk.of("mode"), Resp.Bulk.of("standalone"),
        Resp.Bulk.of("role"), Resp.Bulk.of("master"),
        Resp.Bulk.of("modules"), new Resp.Array(List.of())));
  }

  private static Resp client(Request request, int argc) {
    String sub = argc == 0 ? "" : request.arg(1).toUpperCase(Locale.ROOT);
    if (sub.equals("GETNAME")) {
      return Resp.NullBulk.INSTANCE;
    }
    if (sub.equals("ID")) {
      return new Resp.Int(1);
    }
    return Resp.OK; // SETNAME, SETINFO, ... accepted and ignored
  }

  String info(Stats stats) {
    StringBuilder out = new StringBuilder("# Broker\r\n");
    for (Map.Entry<String, String> e : brokerInfo.entrySet()) {
      out.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
    }
    EngineStatus status = engine.status();
    List<ServerStatus> servers = status.servers();
    out.append("tcp_port:").append(stats.port()).append("\r\n");
    out.append("start_time_ms:").append(started.toEpochMilli()).append("\r\n")
        .append("uptime_in_seconds:").append(Duration.between(started, clock.instant()).getSeconds()).append("\r\n");
    out.append("servers:").append(servers.size()).append("\r\n")
        .append("servers_up:").append(status.up()).append("\r\n")
        .append("connected_clients:").append(stats.connectedClients()).append("\r\n")
        .append("total_connections_received:").append(stats.totalConnections()).append("\r\n")
        .append("total_commands_processed:").append(stats.totalCommands()).append("\r\n")
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
