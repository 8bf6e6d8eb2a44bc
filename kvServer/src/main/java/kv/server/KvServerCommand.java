package kv.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import kv.server.durable.DurableConfig;
import kv.server.strong.StrongConfig;
import kv.server.strong.StrongNode;
import kv.server.strong.StrongStartException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code kvServer} program: parses flags, starts a {@link KvServer}, prints where it listens
 * and serves until SIGTERM or Ctrl-C. Output goes only through the injected writers. Exit codes:
 * 0 stopped normally, 1 could not start, 2 bad flags. Not thread-safe (one per run).
 */
@Command(name = "kvServer", mixinStandardHelpOptions = true, version = "kvServer " + KvServer.VERSION,
    sortOptions = false, usageHelpAutoWidth = true,
    description = "Serves records from an in-memory trie over RESP2 and RESP3 (redis-cli, redis-benchmark and"
        + " Redis client libraries can talk to it). Every write is appended to a log in the data"
        + " directory before it is acknowledged and replayed at the next start, so a server killed"
        + " and started again with the same command in the same place keeps its data. With --strong,"
        + " every key belongs to a Raft group of the servers in the server file (Apache Ratis) and"
        + " every read and write goes through its group: linearizable, and available while a"
        + " majority of the group is up.")
public final class KvServerCommand implements Callable<Integer> {
  @Spec
  private CommandLine.Model.CommandSpec spec;

  @Option(names = {"-a", "--address"}, paramLabel = "IP", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String address = "127.0.0.1";

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", required = true,
      description = "TCP port; 0 picks a free one and prints it.")
  int port;

  @Option(names = "--quiet", description = "Do not log every request (connections, errors, start and stop are still logged).")
  boolean quiet;

  @Option(names = "--max-request-bytes", paramLabel = "N",
      description = "Largest request (and record) in bytes (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;

  @Option(names = "--max-clients", paramLabel = "N", description = "Most clients served at once (default: ${DEFAULT-VALUE}).")
  int maxClients = ServerConfig.DEFAULT_MAX_CLIENTS;

  @Option(names = "--max-depth", paramLabel = "N", description = "Deepest nesting of sets and lists in a record, 1..1000 (default: ${DEFAULT-VALUE}).")
  int maxDepth = ServerConfig.DEFAULT_MAX_DEPTH;

  @Option(names = "--threads", paramLabel = "N", description = "I/O threads (default: ${DEFAULT-VALUE}).")
  int threads = ServerConfig.DEFAULT_THREADS;

  @Option(names = "--max-pending-request-bytes", paramLabel = "N",
      description = "Bytes all partially received requests may hold together; a client whose request takes"
          + " the total over gets an error and is closed (default: ${DEFAULT-VALUE}).")
  long maxPendingRequestBytes = ClientLimits.DEFAULT_MAX_PENDING_REQUEST_BYTES;

  @Option(names = "--max-reply-bytes", paramLabel = "N",
      description = "Bytes of replies one client may leave unread before it is closed; KEYS refuses a larger"
          + " reply (default: ${DEFAULT-VALUE}).")
  long maxReplyBytes = ClientLimits.DEFAULT_MAX_REPLY_BYTES;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS",
      description = "Close a client idle this long, as Redis's timeout; 0: never (default: ${DEFAULT-VALUE}).")
  int idleTimeout;

  @Option(names = "--request-timeout", paramLabel = "SECONDS",
      description = "Close a client whose request is not complete this long after its first byte; 0: never"
          + " (default: ${DEFAULT-VALUE}).")
  int requestTimeout = ClientLimits.DEFAULT_REQUEST_TIMEOUT_SECONDS;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Directory of the write log and snapshots (created if missing, locked while in use)."
          + " Default: ADDRESS-PORT in the current directory, e.g. ./127.0.0.1-9000. With port 0 and no"
          + " --data-dir the server runs in memory (its port, and so its folder, changes at every start).")
  Path dataDir;

  @Option(names = "--in-memory", description = "Keep data in memory only: nothing is written to disk and"
      + " data is lost when the server stops.")
  boolean inMemory;

  @Option(names = "--fsync", paramLabel = "always|everysec",
      description = "When logged writes are forced to the disk: always (before each reply) or everysec"
          + " (default: a killed server loses nothing, a power cut about the last second).")
  String fsync = "everysec";

  @Option(names = "--compact-min-bytes", paramLabel = "N",
      description = "Smallest log that is compacted into a snapshot; above it, compaction runs in the"
          + " background once the log exceeds twice the last snapshot (default: ${DEFAULT-VALUE}).")
  long compactMinBytes = DurableConfig.DEFAULT_COMPACT_MIN_BYTES;

  @Option(names = "--max-clock-skew-ms", paramLabel = "MS",
      description = "Refuse a replicated write (VPUT, VDEL) whose version is more than MS milliseconds"
          + " ahead of this server's clock (default: ${DEFAULT-VALUE}).")
  long maxClockSkewMillis = ServerConfig.DEFAULT_MAX_CLOCK_SKEW_MILLIS;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "The clients' password (user default), the file's first line; or the environment variable"
          + " KV_PASSWORD. Then every command but AUTH, HELLO, QUIT and RESET needs AUTH first. Without a password"
          + " the server listens only on a loopback address (protected mode).")
  Path passwordFile;

  @Option(names = "--admin-password-file", paramLabel = "FILE",
      description = "The cluster's password (user cluster: AUTH cluster PASSWORD), the file's first line; or the"
          + " environment variable KV_ADMIN_PASSWORD. With it, only user cluster may run the replication and sync"
          + " commands (VPUT, VDEL, VGET, VKEYS, VSCAN, VPURGE, ...) and clients' connections cannot use its"
          + " reserved slots.")
  Path adminPasswordFile;

  @Option(names = {"--password", "--requirepass", "--admin-password"}, paramLabel = "PASSWORD", hidden = true,
      description = "Refused: see --password-file.")
  String passwordOnCommandLine;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate (chain).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key: PEM, unencrypted"
      + " PKCS#8 ('BEGIN PRIVATE KEY').")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Require client certificates signed by these PEM CA"
      + " certificates (mutual TLS). With --strong, the Raft port speaks mutual TLS too: members and brokers present"
      + " certificates this CA signed (the server its --tls-cert).")
  Path tlsCa;

  @Option(names = "--strong", paramLabel = "FILE",
      description = "Strong mode (Raft): this server is the one at -a:-p in the server FILE; every key belongs to"
          + " a Raft group whose members the file's servers are, and every read and write goes through it.")
  Path strongServerFile;

  @Option(names = "-k", paramLabel = "N",
      description = "Strong mode: members per group (default: 3, or every server when there are fewer).")
  Integer k;

  @Option(names = "--groups", paramLabel = "G",
      description = "Strong mode: number of Raft groups (default: servers / k, at least 1). Fixed at the cluster's"
          + " first start.")
  Integer groups;

  @Option(names = "--raft-port", paramLabel = "PORT",
      description = "Strong mode: the port to listen on for Raft (default: the one the server file gives this server,"
          + " raft=PORT on its line or PORT + 10000). Others always connect to the file's port: use this only when"
          + " a forwarder delivers that traffic to another port.")
  Integer raftPort;

  @Option(names = "--read", paramLabel = "linearizable|local",
      description = "Strong mode: linearizable reads (default; the leader confirms its leadership first) or local"
          + " (the leader answers from its own state at once: faster, possibly stale during a leader change).")
  String read;

  @Option(names = "--election-timeout", paramLabel = "MS",
      description = "Strong mode: shortest election timeout in ms; the longest is twice it (default: 250 + 150 per"
          + " further group this server hosts). Shorter: faster failover; too short for a busy machine: needless"
          + " elections. Every server of the cluster should use the same.")
  Integer electionTimeout;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Also serve Prometheus metrics at http://ADDRESS:PORT/metrics (0 picks a free port and prints it);"
          + " with a password it asks for Authorization: Bearer PASSWORD, with --tls-cert it is HTTPS.")
  Integer metricsPort;

  @Option(names = "--metrics-bind", paramLabel = "ADDRESS",
      description = "Address of the metrics port (default: 127.0.0.1); not a loopback address only with a password"
          + " (protected mode).")
  String metricsBind;

  @Option(names = "--debug", description = "Log at DEBUG level and print stack traces of errors.")
  boolean debug;

  private Map<String, String> env = Map.of();

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, out, err, System.getenv());
    stopLogging();
    System.exit(code);
  }

  /** Runs the program with the given writers and no environment; returns its exit code (blocks while serving). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, Map.of());
  }

  /** Runs the program with the given writers and environment (KV_PASSWORD, KV_ADMIN_PASSWORD). */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    KvServerCommand command = new KvServerCommand();
    command.env = env;
    CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
    cli.setParameterExceptionHandler((e, line) -> {
      err.println("kvServer: " + e.getMessage());
      err.println("Try 'kvServer --help' for the flags.");
      err.flush();
      return CommandLine.ExitCode.USAGE;
    });
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (command.debug) {
        e.printStackTrace(err);
      }
      err.println("kvServer: " + e.getMessage());
      err.flush();
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    FlagChecks checks = new FlagChecks(this, spec.commandLine().getParseResult(), env);
    ServerConfig config;
    StrongConfig strong;
    try {
      checks.refusePasswordOnCommandLine();
      strong = checks.strongConfig();
      config = checks.serverConfig(strong);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    configureLogging(debug);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    checks.passwordFileWarnings().forEach(w -> LoggerFactory.getLogger(KvServer.class).warn(w));
    if (strong == null && config.durable() != null
        && java.nio.file.Files.exists(config.durable().dir().resolve("cluster.txt"))) {
      err.println("kvServer: data directory " + config.durable().dir() + " holds a strong-mode server's data"
          + " (cluster.txt) (expected: start it with --strong, or give eventual mode a directory of its own)");
      err.flush();
      return 1;
    }
    KvServer server;
    try {
      if (strong != null) {
        checks.beforeRaftStarts(config); // a refusal must not leave the Raft side running
      }
      server = strong == null ? KvServer.start(config) : KvServer.startStrong(config, StrongNode.start(config, strong));
    } catch (IllegalArgumentException e) {
      // protected mode, unusable TLS files: the flags are wrong, nothing was started
      err.println("kvServer: " + e.getMessage());
      err.flush();
      return CommandLine.ExitCode.USAGE;
    } catch (UncheckedIOException | StrongStartException e) {
      if (debug) {
        e.printStackTrace(err);
      }
      err.println("kvServer: " + (e instanceof UncheckedIOException ? e.getCause().getMessage() : e.getMessage()));
      err.flush();
      return 1;
    }
    Thread hook = new Thread(() -> {
      server.close();
      stopLogging();
    }, "kv-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("listening on " + server.address().getAddress().getHostAddress() + ":" + server.port());
    if (metricsPort != null) {
      String bind = checks.metricsBind();
      try {
        int bound = server.serveMetrics(bind, metricsPort);
        out.println("metrics on " + server.metricsUrl(bind, bound));
      } catch (UncheckedIOException | IllegalArgumentException e) {
        out.flush();
        err.println("kvServer: " + (e instanceof UncheckedIOException ? e.getCause().getMessage() : e.getMessage()));
        err.flush();
        server.close();
        return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : 1;
      }
    }
    out.flush();
    server.awaitClose();
    return 0;
  }

  /* Logging is the process's, so the program (not the embeddable server) sets its level. */
  private static void configureLogging(boolean debug) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (debug && factory instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
      context.getLogger("io.netty").setLevel(Level.INFO);
    }
  }

  /** Flushes the asynchronous appender before the JVM exits. */
  private static void stopLogging() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.stop();
    }
  }
}
