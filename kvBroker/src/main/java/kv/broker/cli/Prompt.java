package kv.broker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import kv.broker.command.CommandHelp;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive {@code kv> } prompt on a terminal: line editing, a history file, completion of
 * command words, Ctrl-C abandons the line, Ctrl-D (or {@code exit}) leaves. Output goes only
 * through the terminal's writer. Confined to the thread that calls {@link #run}.
 */
final class Prompt {
  static final String PROMPT = "kv> ";

  private final Terminal terminal;
  private final Shell shell;
  private final Path historyFile;

  Prompt(Terminal terminal, Shell shell, Path historyFile) {
    this.terminal = terminal;
    this.shell = shell;
    this.historyFile = historyFile;
  }

  /** Builds the line reader; exposed so the caller can print log lines above the prompt. */
  LineReader reader() {
    DefaultParser parser = new DefaultParser();
    // The line is parsed by CommandParser, not by JLine: no continuation lines on a stray quote.
    parser.setEofOnUnclosedQuote(false);
    parser.setEofOnEscapedNewLine(false);
    LineReaderBuilder builder = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("kvBroker")
        .parser(parser)
        .completer(new CommandWords(CommandHelp.completionWords()))
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.CASE_INSENSITIVE, true)
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true);
    if (historyFile != null) {
      builder.variable(LineReader.HISTORY_FILE, historyFile);
    }
    return builder.build();
  }

  /**
   * Reads and runs commands until {@code exit}, Ctrl-D, or Ctrl-C twice in a row on an empty line
   * (as in Node's and Python's prompts; one Ctrl-C abandons the line being typed).
   */
  void run(LineReader reader) throws InterruptedException {
    PrintWriter out = terminal.writer();
    boolean interruptedEmpty = false;
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine(PROMPT);
          interruptedEmpty = false;
        } catch (UserInterruptException e) {
          if (!e.getPartialLine().isBlank()) {
            interruptedEmpty = false;
            continue; // Ctrl-C: the line is abandoned, a fresh prompt follows
          }
          if (interruptedEmpty) {
            break;
          }
          interruptedEmpty = true;
          out.println("(to leave, press Ctrl-C again or Ctrl-D, or type exit)");
          out.flush();
          continue;
        } catch (EndOfFileException e) {
          break; // Ctrl-D
        }
        Shell.Result result = shell.run(line);
        if (result.text() != null) {
          out.println(result.text());
          out.flush();
        }
        if (result.exit()) {
          break;
        }
      }
    } finally {
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        out.println("WARNING: could not save the history to " + historyFile + ": " + e.getMessage());
        out.flush();
      }
    }
  }

  /** Completes the first word of the line with the command words. */
  private record CommandWords(List<String> words) implements Completer {
    @Override
    public void complete(LineReader reader, org.jline.reader.ParsedLine line, List<Candidate> candidates) {
      if (line.wordIndex() == 0) {
        for (String word : words) {
          candidates.add(new Candidate(word));
        }
      }
    }
  }
}
