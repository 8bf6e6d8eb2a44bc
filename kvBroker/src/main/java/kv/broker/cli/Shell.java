package kv.broker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.command.CommandExecutor;
import kv.broker.command.CommandHelp;
import kv.broker.command.CommandParser;
import kv.broker.command.StatusJson;
import kv.broker.command.StatusTable;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.record.StringValue;

/**
 * Runs one command line (prompt, script or {@code -c}): parses it, runs it through the
 * {@link CommandExecutor} (as the router does) and returns the text to print; waits for the
 * answer on the calling thread. Thread-safe if the engine is.
 */
final class Shell {

  /**
   * What one line produced: the text to print (null for a blank line or comment), whether it is
   * a failure (ERROR/WARNING) and whether the user asked to leave.
   */
  record Result(String text, boolean failed, boolean exit) {
    static final Result NOTHING = new Result(null, false, false);
  }

  private final Engine engine;
  private final CommandParser parser;
  private final Duration timeout;
  private final Clock clock;
  private final CommandExecutor executor;
  /** --json: each result as one JSON line ({@link JsonOutcome}). */
  private final boolean json;

  Shell(Engine engine, CommandParser parser, Duration timeout, Clock clock) {
    this(engine, parser, timeout, clock, false);
  }

  Shell(Engine engine, CommandParser parser, Duration timeout, Clock clock, boolean json) {
    this.json = json;
    this.engine = engine;
    this.parser = parser;
    this.timeout = timeout;
    this.clock = clock;
    this.executor = new CommandExecutor(engine, timeout);
  }

  Result run(String line) throws InterruptedException {
    Optional<Command> parsed;
    try {
      parsed = parser.parseLine(line);
    } catch (BadCommandException e) {
      return new Result(json ? JsonOutcome.of(e) : OutcomeText.of(e), true, false);
    }
    if (parsed.isEmpty()) {
      return Result.NOTHING;
    }
    Command command = parsed.get();
    if (command instanceof Command.Help) {
      return new Result(json ? JsonOutcome.ofValue(new StringValue(CommandHelp.text())) : CommandHelp.text(), false,
          false);
    } else if (command instanceof Command.Status) {
      return new Result(json ? JsonOutcome.ofValue(StatusJson.of(engine.status(), clock.instant()))
          : StatusTable.format(engine.status(), clock.instant()), false, false);
    } else if (command instanceof Command.Exit) {
      return new Result(null, false, true);
    }
    Outcome outcome = CommandExecutor.walksKeys(command) ? awaitWalk(command) : await(command);
    return new Result(json ? JsonOutcome.of(command, outcome) : OutcomeText.of(outcome), OutcomeText.failed(outcome),
        false);
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

  /** The outcome of a data command, or a Failed outcome that says why there is none. */
  private Outcome await(Command command) throws InterruptedException {
    CompletableFuture<Outcome> future;
    try {
      future = executor.execute(command);
    } catch (RuntimeException e) {
      return Outcome.Failed.of(e);
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      return new Outcome.Failed("no answer within " + timeout.toMillis() + " ms (the request may or may not have been applied)");
    } catch (ExecutionException e) {
      return Outcome.Failed.of(e.getCause());
    }
  }

  /**
   * The outcome of a keyspace command. Not bounded by one timeout: each page of a walk and each
   * window of EXISTS is, and a walk grows with the key space.
   */
  private Outcome awaitWalk(Command command) throws InterruptedException {
    try {
      return executor.execute(command).get();
    } catch (ExecutionException e) {
      return Outcome.Failed.of(e.getCause());
    }
  }
}
