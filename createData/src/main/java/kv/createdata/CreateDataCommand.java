package kv.createdata;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import kv.cli.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code createData} program (SPEC.md §3): generates random nested records, one per line, from
 * the names and types of a key file. Validates every flag before writing anything; streams the
 * records to a temporary file moved into place at the end, or to standard output. One instance per
 * run; not thread-safe.
 */
@Command(name = "createData", mixinStandardHelpOptions = true, version = "createData 0.1.0", sortOptions = false,
    description = "Generates random nested records, one per line, for kvBroker to index (-i).%n",
    footer = {"%nValues: strings of 1..L letters and digits; ints 0..999; floats 0.0..999.99 (two decimals at most). "
        + "Each set has 0..M distinct keys from the key file; while the depth allows, a key holds a nested set "
        + "(keys from the same file) with probability 1/max(4, M). Lines end with \\n; the text is UTF-8.",
        "%nExit codes: 0 done, 1 failure while writing, 2 bad arguments or key file (nothing written).",
        "%nExample: createData -k keyFile.txt -n 1000 -d 3 -l 8 -m 5 --seed 42 -o data/dataToIndex.txt"})
public final class CreateDataCommand implements Callable<Integer> {
  /** Top-level set plus 63 nested levels: the record reader's default depth limit, Limits.DEFAULT (64). */
  static final int MAX_DEPTH = 63;
  static final int MAX_LENGTH = 10_000;
  static final String PROGRAM = "createData";

  @Spec
  private CommandSpec spec;

  @Option(names = {"-k", "--key-file"}, paramLabel = "FILE", defaultValue = "keyFile.txt",
      description = "Key file: one 'name type' per line, type string, int or float; blank lines and "
          + "# comments ignored (default: ${DEFAULT-VALUE}).")
  private String keyFile;

  @Option(names = {"-n", "--records"}, paramLabel = "N", required = true,
      description = "Number of records, > 0 (required). Top-level keys are <prefix>1..<prefix>N.")
  private String records;

  @Option(names = {"-d", "--max-depth"}, paramLabel = "D", defaultValue = "3",
      description = "Maximum nesting depth, 0.." + MAX_DEPTH + "; 0 = one flat set per record (default: ${DEFAULT-VALUE}).")
  private String maxDepth;

  @Option(names = {"-l", "--max-length"}, paramLabel = "L", defaultValue = "8",
      description = "Maximum string length, 1.." + MAX_LENGTH + " (default: ${DEFAULT-VALUE}).")
  private String maxLength;

  @Option(names = {"-m", "--max-keys"}, paramLabel = "M", defaultValue = "5",
      description = "Maximum keys per set, 0..the number of distinct names in the key file "
          + "(default: ${DEFAULT-VALUE}).")
  private String maxKeys;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE|-", defaultValue = "dataToIndex.txt",
      description = "Output file, replaced only once complete; - for standard output "
          + "(default: ${DEFAULT-VALUE}).")
  private String output;

  @Option(names = "--seed", paramLabel = "N",
      description = "Random seed, any 64-bit integer: same seed, same bytes (default: random).")
  private String seed;

  @Option(names = "--prefix", paramLabel = "WORD", defaultValue = "person",
      description = "Prefix of the top-level keys (default: ${DEFAULT-VALUE}).")
  private String prefix;

  @Option(names = "--debug", description = "Show the stack trace of an error.")
  private boolean debug;

  private final Path workingDirectory;
  private final boolean terminal;

  /**
   * @param workingDirectory relative file names are resolved against it
   * @param terminal whether standard error is a terminal (shows the progress bar and a summary)
   */
  CreateDataCommand(Path workingDirectory, boolean terminal) {
    this.workingDirectory = workingDirectory;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new BufferedWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16));
    PrintWriter err = new PrintWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    int exitCode = commandLine(new CreateDataCommand(Path.of(""), System.console() != null), out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(exitCode);
  }

  /** The command line with this program's output streams and its one error policy. */
  static CommandLine commandLine(CreateDataCommand command, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter e = ex.getCommandLine().getErr();
      e.println(PROGRAM + ": " + ex.getMessage() + " (try: " + PROGRAM + " --help)");
      e.flush();
      return CommandFailure.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter e = commandLine.getErr();
      boolean known = ex instanceof CommandFailure;
      e.println(PROGRAM + ": " + (known ? ex.getMessage() : "internal error: " + ex));
      if (command.debug) {
        ex.printStackTrace(e);
      }
      e.flush();
      return known ? ((CommandFailure) ex).exitCode() : CommandFailure.RUNTIME;
    });
    return cl;
  }

  @Override
  public Integer call() throws CommandFailure {
    long n = number("-n/--records", records, 1, Long.MAX_VALUE, "> 0");
    int depth = (int) number("-d/--max-depth", maxDepth, 0, MAX_DEPTH, "0.." + MAX_DEPTH);
    int length = (int) number("-l/--max-length", maxLength, 1, MAX_LENGTH, "1.." + MAX_LENGTH);
    long usedSeed = seed != null ? seed() : new Random().nextLong();
    KeyFile keys;
    try {
      keys = KeyFile.read(workingDirectory.resolve(keyFile), keyFile);
    } catch (KeyFileException e) {
      throw CommandFailure.usage(e.getMessage(), e);
    }
    int names = keys.keys().size();
    int perSet = (int) number("-m/--max-keys", maxKeys, 0, names,
        "0.." + names + ", the number of distinct names in " + keyFile);
    RecordGenerator generator = new RecordGenerator(keys.keys(), depth, length, perSet, prefix, new Random(usedSeed));
    boolean toStdout = "-".equals(output);
    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), System::nanoTime, terminal && !toStdout);
    if (toStdout) {
      try {
        DatasetWriter.write(generator, n, spec.commandLine().getOut(), bar);
      } catch (IOException e) {
        throw CommandFailure.runtime("cannot write standard output: " + describe(e), e);
      }
    } else {
      writeFile(generator, n, bar);
    }
    bar.finish(String.format(Locale.ROOT, "%s: wrote %,d records to %s in %.1f s (--seed %d)",
        PROGRAM, n, toStdout ? "standard output" : output, bar.elapsedSeconds(), usedSeed));
    return 0;
  }

  private void writeFile(RecordGenerator generator, long n, ProgressBar bar) throws CommandFailure {
    Path target = workingDirectory.resolve(output);
    String cannot = "cannot write " + output + ": ";
    if (Files.isDirectory(target)) {
      throw CommandFailure.runtime(cannot + "it is a directory", null);
    }
    if (!Files.isDirectory(target.toAbsolutePath().getParent())) {
      throw CommandFailure.runtime(cannot + "its directory does not exist", null);
    }
    try {
      AtomicFile.write(target, out -> DatasetWriter.write(generator, n, out, bar));
    } catch (IOException e) {
      throw CommandFailure.runtime(cannot + describe(e), e);
    }
  }

  /** Parses a flag's integer value in min..max; anything else names the flag and {@code expected}. */
  private static long number(String flag, String text, long min, long max, String expected) throws CommandFailure {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw CommandFailure.badFlag(flag, "'" + text + "'", "an integer " + expected);
    }
    if (value < min || value > max) {
      throw CommandFailure.badFlag(flag, value, expected);
    }
    return value;
  }

  private long seed() throws CommandFailure {
    try {
      return Long.parseLong(seed.trim());
    } catch (NumberFormatException e) {
      throw CommandFailure.badFlag("--seed", "'" + seed + "'", "a 64-bit integer");
    }
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
