package kv.broker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.command.CommandParser;
import kv.broker.command.KeyspaceCommands;
import kv.broker.command.StatusTable;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.resp.Resp;


/**
 * Runs one command line (prompt, script or {@code -c}) against the {@link Engine} (KEYS, EXISTS
 * and DBSIZE through a {@link KeyspaceCommands}, as the router runs them) and returns the text to
 * print; waits for the answer on the calling thread. Thread-safe if the service is.
 */
public final class Shell {

  /**
   * What one line produced: the text to print (null for a blank line or comment), whether it is
   * a failure (ERROR/WARNING) and whether the user asked to leave.
   */
  record Result(String text, boolean failed, boolean exit) {
    static final Result NOTHING = new Result(null, false, false);
  }

  private final Engine service;
  private final CommandParser parser;
  private final Duration timeout;
  private final Clock clock;
  private final KeyspaceCommands keyspace;

  Shell(Engine service, CommandParser parser, Duration timeout, Clock clock) {
    this.service = service;
    this.parser = parser;
    this.timeout = timeout;
    this.clock = clock;
    this.keyspace = new KeyspaceCommands(service, timeout);
  }

  Result run(String line) throws InterruptedException {
    Optional<Command> parsed;
    try {
      parsed = parser.parseLine(line);
    } catch (BadCommandException e) {
      return new Result(OutcomeFormatter.text(e), true, false);
    }
    if (parsed.isEmpty()) {
      return Result.NOTHING;
    }
    Command command = parsed.get();
    if (command instanceof Command.Help) {
      return new Result(help(), false, false);
    } else if (command instanceof Command.Status) {
      return new Result(StatusTable.format(service.status(), clock.instant()), false, false);
    } else if (command instanceof Command.Exit) {
      return new Result(null, false, true);
    } else if (command instanceof Command.Keys || command instanceof Command.Exists
        || command instanceof Command.DbSize) {
      Resp reply = awaitKeyspace(keyspace.execute(command));
      return new Result(OutcomeFormatter.text(reply), reply instanceof Resp.Error, false);
    }
    Outcome outcome = await(execute(service, command));
    return new Result(OutcomeFormatter.text(outcome), OutcomeFormatter.failed(outcome), false);
  }

  /**
   * Runs a script: one command a line, printing only results, until the end or {@code exit}.
   * Returns true when any command failed (ERROR or WARNING); the script goes on after a failure.
   */
  boolean runScript(BufferedReader in, PrintWriter out) throws IOException, InterruptedException {
    boolean failed = false;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      Result result = run(line);
      if (result.text() != null) {
        out.println(result.text());
        out.flush();
      }
      failed |= result.failed();
      if (result.exit()) {
        break;
      }
    }
    return failed;
  }

  /** Sends a data command (GET, QUERY, DELETE, PUT) to the service. */
  public static CompletableFuture<Outcome> execute(Engine service, Command command) {
    if (command instanceof Command.Get g) {
      return service.get(g.key());
    } else if (command instanceof Command.Query q) {
      return service.query(q.path());
    } else if (command instanceof Command.Delete d) {
      return service.delete(d.key());
    } else if (command instanceof Command.Put p) {
      return service.put(p.record());
    }
    throw new IllegalArgumentException("command: " + command + " (expected: GET, QUERY, DELETE or PUT)");
  }

  /** The outcome of {@code future}, or a Failed outcome that says why there is none. */
  private Outcome await(CompletableFuture<Outcome> future) throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      return new Outcome.Failed("no answer within " + timeout.toMillis() + " ms (the request may or may not have been applied)");
    } catch (ExecutionException e) {
      return failure(e.getCause());
    }
  }

  /**
   * The keyspace reply. Not bounded by one timeout: KeyspaceCommands bounds each page of a walk and
   * each window of EXISTS, and a walk grows with the key space.
   */
  private static Resp awaitKeyspace(CompletableFuture<Resp> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return new Resp.Error("ERR " + ((Outcome.Failed) failure(e.getCause())).message());
    }
  }

  /** A Failed outcome for an exception a service future completed with. */
  public static Outcome failure(Throwable cause) {
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return new Outcome.Failed(message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
  }

  public static String help() {
    int width = 0;
    for (String[] usage : CommandParser.USAGE) {
      width = Math.max(width, usage[0].length());
    }
    StringBuilder out = new StringBuilder("Commands (case-insensitive; keys are case-sensitive, bare or \"quoted\"):\n");
    for (String[] usage : CommandParser.USAGE) {
      out.append("  ").append(usage[0]).append(" ".repeat(width - usage[0].length() + 2)).append(usage[1]).append('\n');
    }
    out.append("Ctrl-C abandons the line; Up/Down walk the history; Tab completes command words.");
    return out.toString();
  }
}
