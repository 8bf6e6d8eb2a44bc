package kv.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import kv.security.Credentials;
import kv.security.TlsFiles;
import kv.server.durable.DurableConfig;
import kv.server.durable.FsyncPolicy;
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
        + " and started again with the same command in the same place keeps its data.")
public final class KvServerCommand implements Callable<Integer> {
  @Spec
  private CommandLine.Model.CommandSpec spec;

  @Option(names = {"-a", "--address"}, paramLabel = "IP", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String address = "127.0.0.1";

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", required = true,
      description = "TCP port; 0 picks a free one and prints it.")
  private int port;

  @Option(names = "--quiet", description = "Do not log every request (connections, errors, start and stop are still logged).")
  private boolean quiet;

  @Option(names = "--max-request-bytes", paramLabel = "N",
      description = "Largest request (and record) in bytes (default: ${DEFAULT-VALUE}).")
  private int maxRequestBytes = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;

  @Option(names = "--max-clients", paramLabel = "N", description = "Most clients served at once (default: ${DEFAULT-VALUE}).")
  private int maxClients = ServerConfig.DEFAULT_MAX_CLIENTS;

  @Option(names = "--max-depth", paramLabel = "N", description = "Deepest nesting of sets and lists in a record, 1..1000 (default: ${DEFAULT-VALUE}).")
  private int maxDepth = ServerConfig.DEFAULT_MAX_DEPTH;

  @Option(names = "--threads", paramLabel = "N", description = "I/O threads (default: ${DEFAULT-VALUE}).")
  private int threads = ServerConfig.DEFAULT_THREADS;

  @Option(names = "--max-pending-request-bytes", paramLabel = "N",
      description = "Bytes all partially received requests may hold together; a client whose request takes"
          + " the total over gets an error and is closed (default: ${DEFAULT-VALUE}).")
  private long maxPendingRequestBytes = ClientLimits.DEFAULT_MAX_PENDING_REQUEST_BYTES;

  @Option(names = "--max-reply-bytes", paramLabel = "N",
      description = "Bytes of replies one client may leave unread before it is closed; KEYS refuses a larger"
          + " reply (default: ${DEFAULT-VALUE}).")
  private long maxReplyBytes = ClientLimits.DEFAULT_MAX_REPLY_BYTES;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS",
      description = "Close a client idle this long, as Redis's timeout; 0: never (default: ${DEFAULT-VALUE}).")
  private int idleTimeout;

  @Option(names = "--request-timeout", paramLabel = "SECONDS",
      description = "Close a client whose request is not complete this long after its first byte; 0: never"
          + " (default: ${DEFAULT-VALUE}).")
  private int requestTimeout = ClientLimits.DEFAULT_REQUEST_TIMEOUT_SECONDS;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Directory of the write log and snapshots (created if missing, locked while in use)."
          + " Default: ADDRESS-PORT in the current directory, e.g. ./127.0.0.1-9000. With port 0 and no"
          + " --data-dir the server runs in memory (its port, and so its folder, changes at every start).")
  private Path dataDir;

  @Option(names = "--in-memory", description = "Keep data in memory only: nothing is written to disk and"
      + " data is lost when the server stops.")
  private boolean inMemory;

  @Option(names = "--fsync", paramLabel = "always|everysec",
      description = "When logged writes are forced to the disk: always (before each reply) or everysec"
          + " (default: a killed server loses nothing, a power cut about the last second).")
  private String fsync = "everysec";

  @Option(names = "--compact-min-bytes", paramLabel = "N",
      description = "Smallest log that is compacted into a snapshot; above it, compaction runs in the"
          + " background once the log exceeds twice the last snapshot (default: ${DEFAULT-VALUE}).")
  private long compactMinBytes = DurableConfig.DEFAULT_COMPACT_MIN_BYTES;

  @Option(names = "--max-clock-skew-ms", paramLabel = "MS",
      description = "Refuse a replicated write (VPUT, VDEL) whose version is more than MS milliseconds"
          + " ahead of this server's clock (default: ${DEFAULT-VALUE}).")
  private long maxClockSkewMillis = ServerConfig.DEFAULT_MAX_CLOCK_SKEW_MILLIS;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "The clients' password (user default), the file's first line; or the environment variable"
          + " KV_PASSWORD. Then every command but AUTH, HELLO, QUIT and RESET needs AUTH first. Without a password"
          + " the server listens only on a loopback address (protected mode).")
  private Path passwordFile;

  @Option(names = "--admin-password-file", paramLabel = "FILE",
      description = "The cluster's password (user cluster: AUTH cluster PASSWORD), the file's first line; or the"
          + " environment variable KV_ADMIN_PASSWORD. With it, only user cluster may run the replication and sync"
          + " commands (VPUT, VDEL, VGET, VKEYS, VSCAN, VPURGE, ...) and clients' connections cannot use its"
          + " reserved slots.")
  private Path adminPasswordFile;

  @Option(names = {"--password", "--requirepass", "--admin-password"}, paramLabel = "PASSWORD", hidden = true,
      description = "Refused: see --password-file.")
  private String passwordOnCommandLine;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate (chain).")
  private Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key: PEM, unencrypted"
      + " PKCS#8 ('BEGIN PRIVATE KEY').")
  private Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Require client certificates signed by these PEM CA"
      + " certificates (mutual TLS).")
  private Path tlsCa;

  @Option(names = "--debug", description = "Log at DEBUG level and print stack traces of errors.")
  private boolean debug;

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
    ServerConfig config;
    try {
      if (passwordOnCommandLine != null) {
        throw new IllegalArgumentException(passwordFlag() + ": refused: " + Credentials.NOT_ON_THE_COMMAND_LINE);
      }
      SecurityConfig security = SecurityConfig.NONE.withUsers(Credentials.users(passwordFile, adminPasswordFile, env))
          .withTls(TlsFiles.of(tlsCert, tlsKey, tlsCa));
      config = ServerConfig.defaults().withAddress(address).withPort(port).withQuiet(quiet)
          .withMaxRequestBytes(maxRequestBytes).withMaxClients(maxClients).withMaxDepth(maxDepth)
          .withThreads(threads).withDurable(durableConfig()).withMaxClockSkewMillis(maxClockSkewMillis)
          .withLimits(new ClientLimits(maxPendingRequestBytes, maxReplyBytes, idleTimeout, requestTimeout))
          .withSecurity(security);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    configureLogging(debug);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path file : new Path[] {passwordFile, adminPasswordFile}) {
      if (file != null) {
        Credentials.permissionWarning(file == passwordFile ? Credentials.PASSWORD_FILE_FLAG
            : Credentials.ADMIN_PASSWORD_FILE_FLAG, file).ifPresent(w -> LoggerFactory.getLogger(KvServer.class).warn(w));
      }
    }
    KvServer server;
    try {
      server = KvServer.start(config);
    } catch (IllegalArgumentException e) {
      // protected mode, unusable TLS files: the flags are wrong, nothing was started
      err.println("kvServer: " + e.getMessage());
      err.flush();
      return CommandLine.ExitCode.USAGE;
    } catch (UncheckedIOException e) {
      if (debug) {
        e.printStackTrace(err);
      }
      err.println("kvServer: " + e.getCause().getMessage());
      err.flush();
      return 1;
    }
    Thread hook = new Thread(() -> {
      server.close();
      stopLogging();
    }, "kv-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("listening on " + server.address().getAddress().getHostAddress() + ":" + server.port());
    out.flush();
    server.awaitClose();
    return 0;
  }

  /* The name the user typed: --password, --requirepass or --admin-password. */
  private String passwordFlag() {
    for (String arg : spec.commandLine().getParseResult().originalArgs()) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (name.equals("--password") || name.equals("--requirepass") || name.equals("--admin-password")) {
        return name;
      }
    }
    return "--password";
  }

  /* Null (in memory) with --in-memory, or with port 0 and no --data-dir. */
  private DurableConfig durableConfig() {
    FsyncPolicy policy = FsyncPolicy.parse(fsync);
    if (compactMinBytes < 1) {
      throw new IllegalArgumentException("compact-min-bytes: " + compactMinBytes + " (expected: >= 1)");
    }
    if (inMemory) {
      if (dataDir != null) {
        throw new IllegalArgumentException("--in-memory and --data-dir " + dataDir
            + ": both given (expected: one of them)");
      }
      return null;
    }
    Path dir = dataDir != null ? dataDir : DurableConfig.defaultDirectory(address, port).orElse(null);
    if (dir == null) {
      return null;
    }
    return DurableConfig.of(dir).withFsync(policy).withCompactMinBytes(compactMinBytes);
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
