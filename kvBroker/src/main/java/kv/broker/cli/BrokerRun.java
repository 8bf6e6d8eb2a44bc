package kv.broker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.broker.command.CommandParser;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.http.BearerAuth;
import kv.broker.http.HttpApi;
import kv.broker.http.HttpFrontEnd;
import kv.broker.index.IndexSummary;
import kv.broker.ops.BrokerMetrics;
import kv.broker.ops.FrontEnd;
import kv.broker.ops.OpsRoutes;
import kv.broker.router.RouterCommands;
import kv.broker.router.RouterServer;
import kv.broker.transport.IoThreads;
import kv.cli.ProgressBar;
import kv.record.Limits;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The run flow of {@link KvBrokerCommand} once its options are checked: starts the I/O threads
 * and the engine on them, indexes the -i file, then runs -c, the prompt or the script, and serves
 * RESP with --port and HTTP with --http (on the same threads) until SIGTERM. Not thread-safe: one run per instance.
 */
final class BrokerRun {

  /** The largest HTTP request body: a value as large as the largest record, and its envelope. */
  static final int HTTP_MAX_BODY = Limits.DEFAULT.maxRecordBytes() + 1024;

  /** The options the run flow needs (null when not given); {@code users} guard the RESP and HTTP ports. */
  record Options(Path indexFile, String command, Integer port, String bind, Path history, boolean quiet, boolean json,
      Integer httpPort, String httpBind, kv.security.Users users, kv.security.TlsFiles tls) {}

  private final Options options;
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean terminal;
  private final Backend backend;
  private final Clock clock;

  BrokerRun(Options options, InputStream in, PrintWriter out, PrintWriter err, boolean terminal,
      Backend backend, Clock clock) {
    this.options = options;
    this.in = in;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.backend = backend;
    this.clock = clock;
  }

  /** Runs and returns the exit code. */
  int run(BrokerConfig config) throws Exception {
    RecordParser records = new RecordParser(Limits.DEFAULT);
    CommandParser parser = new CommandParser(records);
    try (Running running = new Running(IoThreads.start())) {
      Engine engine = backend.start(config, running.io);
      running.engine = engine;
      Duration answerTimeout = backend.answerTimeout(config);
      BrokerMetrics metrics = new BrokerMetrics(engine, backend.mode(), KvBrokerCommand.VERSION);
      running.io.scheduler().scheduleAtFixedRate(() -> metrics.sample(clock.millis()), 1, 1, TimeUnit.SECONDS);
      Shell shell = new Shell(metrics.engineFor(FrontEnd.CLI), parser, answerTimeout, clock, options.json());
      if (options.indexFile() != null) {
        index(engine, config);
      }
      if (options.command() != null) {
        Shell.Result result = shell.run(options.command());
        if (result.text() != null) {
          out.println(result.text());
        }
        return result.failed() ? 1 : 0;
      }
      if (options.port() != null) {
        RouterCommands commands = new RouterCommands(metrics.engineFor(FrontEnd.RESP), parser, answerTimeout,
            info(config, backend.mode()), clock, options.users(), kv.security.AuthThrottle.DEFAULT);
        running.router = RouterServer.start(options.bind(), options.port(), commands, RespLimits.DEFAULT, running.io,
            options.tls());
        metrics.clients(FrontEnd.RESP, running.router::connectedClients);
        if (!options.quiet()) {
          err.println("kvBroker: serving RESP" + (options.tls() == null ? "" : " over TLS") + " on " + options.bind() + ":"
              + running.router.port());
          err.flush();
        }
      }
      if (options.httpPort() != null) {
        HttpApi api = new HttpApi(metrics.engineFor(FrontEnd.HTTP), backend.mode(), answerTimeout, clock, HTTP_MAX_BODY,
            new OpsRoutes(metrics.engineFor(FrontEnd.HTTP), metrics, backend.mode(), clock),
            options.users().passwordRequired() ? new BearerAuth(options.users(), kv.security.AuthThrottle.DEFAULT) : null);
        running.http = HttpFrontEnd.start(options.httpBind(), options.httpPort(), api, running.io, options.tls());
        metrics.clients(FrontEnd.HTTP, running.http::connectedClients);
        if (!options.quiet()) {
          err.println("kvBroker: serving HTTP on " + scheme() + hostPort(options.httpBind(), running.http.port())
              + "/ (the status page; the API under /keys, Prometheus metrics at /metrics)");
          err.flush();
        }
      }
      Thread hook = new Thread(running::close, "kvBroker-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        int code = terminal ? prompt(shell, engine, config, running) : script(shell);
        if ((running.router != null || running.http != null) && !terminal) {
          running.closed.await(); // serve until SIGTERM: the end of standard input does not stop a router
        }
        return code;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook closes everything
        }
      }
    }
  }

  /**
   * The running HTTP port, router, engine and I/O threads, closed in that order, once: by the command or by
   * the shutdown hook (SIGTERM).
   */
  private static final class Running implements AutoCloseable {
    final IoThreads io;
    volatile Engine engine;
    volatile RouterServer router;
    volatile HttpFrontEnd http;
    final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    Running(IoThreads io) {
      this.io = io;
    }

    @Override
    public void close() {
      if (!closing.compareAndSet(false, true)) {
        return;
      }
      try {
        if (http != null) {
          http.close();
        }
        if (router != null) {
          router.close();
        }
        if (engine != null) {
          engine.close();
        }
      } finally {
        io.close();
        closed.countDown();
      }
    }
  }

  /** Indexes the -i file: a progress bar on a terminal, then a summary on standard error. */
  private void index(Engine engine, BrokerConfig config) throws Exception {
    boolean drawn = terminal && !options.quiet();
    ProgressBar bar = new ProgressBar(err, System::nanoTime, drawn);
    IndexSummary summary = backend.index(engine, options.indexFile(), config.maxInFlight(), bar::update);
    String report = IndexReport.format(options.indexFile(), summary);
    if (drawn) {
      bar.finish(report);
    } else if (!options.quiet() || summary.failureCount() > 0) {
      err.println(report);
      err.flush();
    }
  }

  private int script(Shell shell) throws IOException, InterruptedException {
    return shell.runScript(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out) ? 1 : 0;
  }

  private int prompt(Shell shell, Engine engine, BrokerConfig config, Running running)
      throws IOException, InterruptedException {
    try (Terminal t = TerminalBuilder.builder().system(true).build()) {
      Path historyFile = options.history() != null ? options.history()
          : Path.of(System.getProperty("user.home"), ".kv_history");
      Prompt prompt = new Prompt(t, shell, historyFile);
      LineReader reader = prompt.reader();
      if (!options.quiet()) {
        EngineStatus status = engine.status();
        t.writer().println("kvBroker " + KvBrokerCommand.VERSION + ": " + backend.describe(config, status)
            + (running.router == null ? "" : ", RESP on " + options.bind() + ":" + running.router.port())
            + (running.http == null ? "" : ", HTTP and status page on " + scheme()
                + hostPort(options.httpBind(), running.http.port()) + "/")
            + ". Type help for commands, exit or Ctrl-D to leave.");
        t.writer().flush();
      }
      try (AutoCloseable logs = PromptLogAppender.install(reader)) {
        prompt.run(reader);
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return 0;
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  private String scheme() {
    return options.tls() == null ? "http://" : "https://";
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static Map<String, String> info(BrokerConfig config, String mode) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("kv_version", KvBrokerCommand.VERSION);
    info.put("role", "broker");
    info.put("mode", mode);
    info.put("k", Integer.toString(config.k()));
    info.put("server_file", config.serverFile());
    info.put("node_id", Integer.toString(config.nodeId()));
    return info;
  }
}
