package kv.broker.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.ScanArgs;
import kv.resp.connection.RedisAlternatives;

/**
 * Turns a prompt or script line, or the arguments of a RESP request, into a {@link Command}.
 * Command words are case-insensitive, keys case-sensitive; a key may be bare ({@code person1}) or
 * a quoted JSON string ({@code "person1"}), which is the same key. A pure class over text;
 * thread-safe (the {@link RecordParser} is stateless).
 */
public final class CommandParser {

  private static final String GET_USAGE = "(usage: GET key)";
  private static final String QUERY_USAGE = "(usage: QUERY key.path)";
  private static final String DELETE_USAGE = "(usage: DELETE key)";
  private static final String PUT_USAGE = "(usage: PUT key : { ... })";
  private static final String KEYS_USAGE = "(usage: KEYS prefix*, e.g. KEYS person*, KEYS * for every key)";
  private static final ScanArgs.Spec SCAN = new ScanArgs.Spec("SCAN", "SCAN cursor [MATCH prefix*] [COUNT n]", true, 10);
  private static final String LOCATE_USAGE = "(usage: LOCATE key)";
  private static final String EXISTS_USAGE = "(usage: EXISTS key [key ...])";
  private static final List<String> WORDS = List.of("GET", "QUERY", "DELETE", "DEL", "PUT", "KEYS", "EXISTS",
      "DBSIZE", "HELP", "STATUS", "EXIT", "QUIT", "APPEND", "SETVALUE", "LOCATE");
  /**
   * The commands whose inline RESP form takes the rest of the line as one argument (a record, a
   * path, or a path or key and a value with spaces and quotes of its own), as on kvServer.
   */
  public static final Set<String> RAW_LINE_COMMANDS = Set.of("PUT", "QUERY", "APPEND", "SETVALUE", "LOCATE");

  private final RecordParser records;
  private final ValueArgs values;

  public CommandParser(RecordParser records) {
    this.records = records;
    this.values = new ValueArgs(records);
  }

  /** The parser of records and values this one reads them with (and its limits). */
  public RecordParser records() {
    return records;
  }

  /**
   * Parses one line typed at the prompt or read from a script. Returns empty for a blank line
   * or a {@code #} comment, which get no answer.
   */
  public Optional<Command> parseLine(String line) throws BadCommandException {
    String text = line.strip();
    if (text.isEmpty() || text.startsWith("#")) {
      return Optional.empty();
    }
    int end = 0;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    String word = text.substring(0, end);
    String rest = text.substring(end).strip();
    String upper = word.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "GET":
        return Optional.of(new Command.Get(key("GET", "key", rest, GET_USAGE)));
      case "DELETE":
      case "DEL":
        return Optional.of(new Command.Delete(key(upper, "key", rest, DELETE_USAGE)));
      case "QUERY":
        return Optional.of(new Command.Query(path(rest)));
      case "PUT":
        return Optional.of(new Command.Put(record(rest)));
      case "KEYS":
        return Optional.of(new Command.Keys(keyPattern(key("KEYS", "pattern", rest, KEYS_USAGE))));
      case "EXISTS":
        return Optional.of(new Command.Exists(keys(rest)));
      case "LOCATE":
        return Optional.of(new Command.Locate(key("LOCATE", "key", rest, LOCATE_USAGE)));
      case "APPEND":
      case "SETVALUE":
        return Optional.of(values.line(upper, rest));
      default:
        return Optional.of(noArgument(word, upper, rest));
    }
  }

  /**
   * Parses a RESP request's arguments. An inline {@code PUT} takes the rest of the line as the
   * record; the array forms are {@code PUT record} and {@code PUT key set}.
   */
  public Command parseRequest(Request request) throws BadCommandException {
    if (request.size() == 0) {
      throw new BadCommandException("empty command (try: help)");
    }
    String upper = request.command();
    int argc = request.size() - 1;
    switch (upper) {
      case "GET":
        arity(upper, argc == 1, "GET key");
        return new Command.Get(request.arg(1));
      case "DELETE":
      case "DEL":
        arity(upper, argc >= 1, upper + " key [key ...]");
        return new Command.Delete(rest(request));
      case "TYPE":
        arity(upper, argc == 1, "TYPE key");
        return new Command.Type(request.arg(1));
      case "QUERY":
        arity(upper, argc == 1, "QUERY key.path");
        return new Command.Query(path(request.arg(1)));
      case "PUT":
        return put(request, argc);
      case "EXISTS":
        arity(upper, argc >= 1, "EXISTS key [key ...]");
        return new Command.Exists(rest(request));
      case "DBSIZE":
        arity(upper, argc == 0, "DBSIZE");
        return new Command.DbSize();
      case "KEYS":
        arity(upper, argc == 1, "KEYS prefix*");
        return new Command.Keys(keyPattern(request.arg(1)));
      case "SCAN":
        return scan(request, argc);
      case "LOCATE":
        arity(upper, argc == 1, "LOCATE key");
        return new Command.Locate(request.arg(1));
      case "APPEND":
      case "SETVALUE":
        return values.request(upper, request);
      default:
        return noArgument(request.arg(0), upper, argc == 0 ? "" : "x");
    }
  }

  private static List<String> rest(Request request) {
    List<String> args = new ArrayList<>(request.size() - 1);
    for (int i = 1; i < request.size(); i++) {
      args.add(request.arg(i));
    }
    return args;
  }

  private static Command scan(Request request, int argc) throws BadCommandException {
    arity("SCAN", argc >= 1 && argc % 2 == 1, SCAN.usage());
    try {
      ScanArgs args = ScanArgs.parse(request, 2, SCAN);
      return new Command.Scan(request.arg(1), args.pattern(), args.count());
    } catch (IllegalArgumentException e) {
      throw new BadCommandException(e.getMessage(), e);
    }
  }

  /** A KEYS or SCAN MATCH pattern; an unsupported one is the user's error. */
  static KeyPattern keyPattern(String pattern) throws BadCommandException {
    try {
      return KeyPattern.parse(pattern);
    } catch (IllegalArgumentException e) {
      throw new BadCommandException(e.getMessage(), e);
    }
  }

  private Command put(Request request, int argc) throws BadCommandException {
    if (request.isInline()) {
      String line = request.inlineLine().strip();
      int end = 0;
      while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
        end++;
      }
      return new Command.Put(record(line.substring(end).strip()));
    }
    if (argc == 1) {
      return new Command.Put(record(request.arg(1)));
    }
    if (argc == 2) {
      try {
        return new Command.Put(new Record(request.arg(1), records.parseSet(request.arg(2))));
      } catch (RecordFormatException e) {
        throw new BadCommandException("invalid record: " + e.getMessage(), e);
      }
    }
    throw new BadCommandException("wrong number of arguments for 'PUT' (expected: PUT record | PUT key set-text,"
        + " e.g. PUT \"person1\" : { \"name\" : \"John\" }; redis-cli: quote the record as one argument)");
  }

  private static void arity(String command, boolean ok, String usage) throws BadCommandException {
    if (!ok) {
      throw new BadCommandException(
          "wrong number of arguments for '" + command + "' (expected: " + usage + ")");
    }
  }

  private static Command noArgument(String word, String upper, String rest) throws BadCommandException {
    Command command;
    if (upper.equals("HELP")) {
      command = new Command.Help();
    } else if (upper.equals("DBSIZE")) {
      command = new Command.DbSize();
    } else if (upper.equals("STATUS")) {
      command = new Command.Status();
    } else if (upper.equals("EXIT") || upper.equals("QUIT")) {
      command = new Command.Exit();
    } else {
      for (String known : WORDS) {
        // "GET"person1"" or "PUT{...}": a known word glued to its argument.
        if (upper.length() > known.length() && upper.startsWith(known)
            && !Character.isLetterOrDigit(upper.charAt(known.length()))) {
          throw new BadCommandException(
              "missing space after '" + word.substring(0, known.length()) + "' (a command word is followed by a space)");
        }
      }
      String hint = RedisAlternatives.hint(upper);
      throw new BadCommandException("unknown command '" + word + "' (" + (hint == null ? "" : hint + "; ") + "try: help)");
    }
    if (!rest.isEmpty()) {
      throw new BadCommandException(upper + " takes no arguments (usage: " + upper + ")");
    }
    return command;
  }

  /** The one key (or KEYS pattern: {@code what}) after a command word, bare or quoted. */
  private static String key(String command, String what, String rest, String usage) throws BadCommandException {
    if (rest.isEmpty()) {
      throw new BadCommandException(command + " needs a " + what + " " + usage);
    }
    int end = keyEnd(rest, 0);
    String extra = rest.substring(end).strip();
    if (!extra.isEmpty()) {
      throw new BadCommandException(
          command + " takes one " + what + "; unexpected text after it: '" + extra + "' " + usage);
    }
    return keyText(rest, 0, end);
  }

  /** The keys of EXISTS: one or more, each bare or quoted, separated by white space. */
  private static List<String> keys(String rest) throws BadCommandException {
    if (rest.isEmpty()) {
      throw new BadCommandException("EXISTS needs a key " + EXISTS_USAGE);
    }
    List<String> keys = new ArrayList<>();
    int start = 0;
    while (start < rest.length()) {
      int end = keyEnd(rest, start);
      if (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
        throw new BadCommandException("EXISTS: missing space after the key " + rest.substring(start, end)
            + " (keys are separated by spaces) " + EXISTS_USAGE);
      }
      keys.add(keyText(rest, start, end));
      start = end;
      while (start < rest.length() && Character.isWhitespace(rest.charAt(start))) {
        start++;
      }
    }
    return keys;
  }

  /** The end of the key that starts at {@code start}: after its closing quote, or at white space. */
  private static int keyEnd(String text, int start) throws BadCommandException {
    if (text.charAt(start) == '"') {
      return JsonString.end(text, start);
    }
    int end = start;
    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    return end;
  }

  private static String keyText(String text, int start, int end) throws BadCommandException {
    return text.charAt(start) == '"' ? JsonString.decode(text, start, end) : text.substring(start, end);
  }

  private static Path path(String rest) throws BadCommandException {
    if (rest.isEmpty()) {
      throw new BadCommandException("QUERY needs a path " + QUERY_USAGE);
    }
    try {
      return Path.parse(rest);
    } catch (RecordFormatException e) {
      throw new BadCommandException("invalid path: " + e.getMessage() + " " + QUERY_USAGE, e);
    }
  }

  private Record record(String rest) throws BadCommandException {
    if (rest.isEmpty()) {
      throw new BadCommandException("PUT needs a record " + PUT_USAGE);
    }
    try {
      return records.parseRecord(rest);
    } catch (RecordFormatException e) {
      throw new BadCommandException("invalid record: " + e.getMessage(), e);
    }
  }
}
