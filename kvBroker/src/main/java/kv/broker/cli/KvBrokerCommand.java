package kv.broker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import kv.broker.config.BrokerConfig;
import kv.broker.eventual.EventualEngine;
import kv.security.TlsFiles;
import kv.security.Users;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code kvBroker} program: reads the server file, connects to the servers, optionally
 * indexes a data file, then answers commands from {@code -c}, the interactive prompt, a script on
 * standard input and/or the RESP port. Output goes only through the injected writers; exit codes
 * are 0 ok, 1 runtime failure (or a failed command), 2 usage. Not thread-safe: one run per instance.
 */
@CommandLine.Command(name = "kvBroker", mixinStandardHelpOptions = true, version = "kvBroker " + KvBrokerCommand.VERSION,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Places every record on k of the servers in the server file (rendezvous hashing) and answers GET,"
            + " QUERY, PUT, APPEND, SETVALUE, DELETE, KEYS, EXISTS and DBSIZE from an interactive prompt, a script"
            + " on standard input, -c, a RESP port or an HTTP port.",
        "With --strong the servers run in strong mode (kvServer --strong): every key belongs to a Raft group,"
            + " writes are answered once a majority has them, reads are linearizable, and the number of groups"
            + " and k are learned from the servers.",
        "Standard output carries only results. Logs go to standard error: WARN by default (servers going DOWN"
            + " or restarting), INFO with --verbose, DEBUG with --debug; at the prompt they are printed above"
            + " the line being edited.",
        ""},
    footer = {"",
        "Modes: with -c the one command runs and the broker exits. Otherwise, on a terminal the prompt opens"
            + " (type help); without one, standard input is read as a script, one command a line, and only the"
            + " results are printed. With --port (RESP) or --http (HTTP) the broker also serves clients and keeps"
            + " running after the end of standard input until SIGTERM or Ctrl-C.",
        "Exit codes: 0 ok; 1 a runtime failure, or a command answered ERROR or WARNING (NOT FOUND is an answer,"
            + " not a failure); 2 bad arguments (e.g. -k outside 1..number of servers, or with --strong a server"
            + " file or -k that differ from the cluster's)."})
public final class KvBrokerCommand implements Callable<Integer> {
  static final String VERSION = "0.1.0";

  /** The eventual engine (SPEC.md §6). */
  static final Backend EVENTUAL = EventualEngine::start;

  @Option(names = {"-s", "--servers"}, required = true, paramLabel = "FILE",
      description = "Server file: one `ip port` (or `ip:port`) per line; blank lines and # comments ignored.")
  Path serverFile;

  @Option(names = {"-i", "--index"}, paramLabel = "FILE",
      description = "Data file to index at start, one record per line; bad lines are reported and skipped.")
  Path indexFile;

  @Option(names = "-k", paramLabel = "K",
      description = "Replicas per record: 1..number of servers (required, except with --strong). With --strong:"
          + " the members per Raft group, learned from the servers; if given, it must be the cluster's.")
  Integer k;

  @Option(names = "--strong",
      description = "Strong mode (servers started with kvServer --strong): each request goes to its key's Raft"
          + " group; G and k are learned from the servers' INFO, and a server file that differs from the cluster's"
          + " is refused. Waits up to 10 x --timeout for a server to answer.")
  boolean strong;

  @Option(names = "--read", paramLabel = "linearizable|local",
      description = "With --strong: linearizable reads (ReadIndex, the default) or local: the group's leader reads"
          + " its own state at once (faster; may be stale while leadership changes hands).")
  String read;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT",
      description = "Also serve the commands over RESP on this port (0 picks a free one).")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address the RESP port listens on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--http", paramLabel = "PORT",
      description = "Also serve HTTP on this port (0 picks a free one): the API (POST/GET/DELETE /keys/{key},"
          + " GET /admin/status, GET /openapi.yml), the live status page at /, GET /metrics (Prometheus) and"
          + " GET /admin/locate/{key}.")
  Integer httpPort;

  @Option(names = "--http-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address the HTTP port listens on (default: ${DEFAULT-VALUE}, loopback only).")
  String httpBind;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "The clients' password (user default), the file's first line; or the environment variable"
          + " KV_PASSWORD. The RESP and HTTP ports then ask for it (AUTH; Authorization: Bearer), and without"
          + " --admin-password-file the broker sends it to the servers (AUTH default).")
  Path passwordFile;

  @Option(names = "--admin-password-file", paramLabel = "FILE",
      description = "The cluster's password (the servers' user cluster), the file's first line; or the environment"
          + " variable KV_ADMIN_PASSWORD. The broker authenticates to every server with it (AUTH cluster).")
  Path adminPasswordFile;

  @Option(names = {"--password", "--requirepass", "--admin-password"}, paramLabel = "PASSWORD", hidden = true,
      description = "Refused: see --password-file.")
  String passwordOnCommandLine;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve TLS on the RESP and HTTP ports with this PEM certificate (chain).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key: PEM, unencrypted"
      + " PKCS#8 ('BEGIN PRIVATE KEY').")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Require client certificates signed by these PEM CA"
      + " certificates (mutual TLS) on the RESP and HTTP ports.")
  Path tlsCa;

  @Option(names = "--server-tls-ca", paramLabel = "FILE", description = "Connect to the servers' ports over TLS,"
      + " trusting certificates these PEM CA certificates signed (for now with --strong: the RESP ports the broker"
      + " learns the cluster from, and the Raft ports).")
  Path serverTlsCa;

  @Option(names = "--server-tls-cert", paramLabel = "FILE", description = "The client certificate (PEM) the broker"
      + " presents to servers that require mutual TLS (--strong's Raft ports always do). Default: --tls-cert.")
  Path serverTlsCert;

  @Option(names = "--server-tls-key", paramLabel = "FILE", description = "Its private key: PEM, unencrypted PKCS#8."
      + " Default: --tls-key.")
  Path serverTlsKey;

  @Option(names = {"-c", "--command"}, paramLabel = "COMMAND",
      description = "Run one command (e.g. \"GET person1\"), print its result and exit.")
  String command;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Request timeout; a server that owes a reply (to a request or heartbeat) and sends"
          + " nothing at all this long is marked DOWN (default: 1500ms).")
  Duration timeout;

  @Option(names = "--heartbeat", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Interval between heartbeats to each server (default: 500ms).")
  Duration heartbeat;

  @Option(names = "--info-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Interval between INFO requests that refresh record counts and instance ids (default: 5s).")
  Duration infoInterval;

  @Option(names = "--max-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Longest wait between reconnection attempts to a DOWN server (default: 2s).")
  Duration maxBackoff;

  @Option(names = "--max-in-flight", paramLabel = "N",
      description = "Records in flight while indexing (default: 2000).")
  Integer maxInFlight;

  @Option(names = "--tombstone-grace", paramLabel = "off|DURATION",
      description = "How long after a DELETE that every replica applied its tombstones are purged (VPURGE);"
          + " off keeps them forever (default: 1h). It must exceed how long a write can stay unapplied"
          + " somewhere (a server DOWN with hints held by another broker, a partition): a write older than"
          + " the delete arriving after the purge brings the record back. Longer keeps more tombstones"
          + " and more pending purges (at most 100000; later deletes keep their tombstones).")
  String tombstoneGrace;

  @Option(names = "--history", paramLabel = "FILE",
      description = "History file of the prompt (default: .kv_history in the home directory).")
  Path history;

  @Option(names = "--json", description = "Print each result of the prompt, a script or -c as one line of JSON:"
      + " {\"ok\":true,...} or {\"ok\":false,\"error\":{\"kind\":\"CLUSTERDOWN\",\"message\":...}} (see the README).")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "No banner, progress bar or indexing summary.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Log INFO: connections, servers going UP and DOWN.")
  boolean verbose;

  @Option(names = "--debug", description = "Log DEBUG and print stack traces of failures.")
  boolean debug;

  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean terminal;
  private final Backend backend;
  private final Clock clock;
  private final Map<String, String> env;

  /** A run without environment variables (no KV_PASSWORD, KV_ADMIN_PASSWORD). */
  KvBrokerCommand(InputStream in, PrintWriter out, PrintWriter err, boolean terminal, Backend backend, Clock clock) {
    this(in, out, err, terminal, backend, clock, Map.of());
  }

  /** @param env the process's environment, for KV_PASSWORD and KV_ADMIN_PASSWORD */
  KvBrokerCommand(InputStream in, PrintWriter out, PrintWriter err, boolean terminal, Backend backend, Clock clock,
      Map<String, String> env) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.backend = backend;
    this.clock = clock;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    KvBrokerCommand command = new KvBrokerCommand(System.in, out, err, isTerminal(), EVENTUAL,
        Clock.systemUTC(), System.getenv());
    System.exit(command.execute(args));
  }

  /** Parses {@code args}, runs, and returns the exit code; never throws. */
  int execute(String... args) {
    CommandLine cli = new CommandLine(this);
    cli.setOverwrittenOptionsAllowed(true); // a flag given twice: the last wins (bin/quickstart passes yours after its own)
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, arguments) -> {
      err.println("kvBroker: " + e.getMessage());
      err.println("Try 'kvBroker --help' for the options.");
      err.flush();
      return 2;
    });
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("kvBroker: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return e instanceof UsageException ? 2 : 1;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() throws Exception {
    configureLogging();
    FlagChecks checks = new FlagChecks(this, env, err);
    Users users = checks.users();
    TlsFiles tls = checks.frontEnds(users);
    Backend chosen = backend;
    Integer replicas = k;
    if (strong) {
      checks.refuseEventualOnly();
      StrongBackend strongBackend = StrongBackend.discover(serverFile, k, checks.readMode(), checks.timeout(), err,
          quiet, checks.serverLogin(), checks.serverTls());
      chosen = strongBackend;
      replicas = strongBackend.identity().k();
    } else {
      checks.refuseStrongOnly();
    }
    BrokerConfig config = checks.config(replicas);
    BrokerRun.Options options = new BrokerRun.Options(indexFile, command, port, bind, history, quiet, json, httpPort,
        httpBind, users, tls);
    return new BrokerRun(options, in, out, err, terminal, chosen, clock).run(config);
  }

  private void configureLogging() {
    if (!(verbose || debug)) {
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(debug ? Level.DEBUG : Level.INFO);
    }
  }

  /** True when standard input and output are a terminal (interactive prompt). */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    // Java 22+ returns a Console even when redirected; isTerminal() tells. Not on Java 17's API.
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
