package kv.broker.command;

import java.util.List;
import kv.record.AppendKeys;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.StringValue;
import kv.record.Value;
import kv.resp.InlineArgs;
import kv.resp.Request;

/**
 * Parses the commands that take a key (or path) and a value, as kvServer reads them: {@code APPEND
 * key[.path] value} and {@code SETVALUE key value}, typed at the prompt or sent over RESP (array
 * arguments, or an inline line whose rest is the path and the value). The value is KV or JSON
 * text; for APPEND a bare word is a string, as Redis users type {@code APPEND k v}. Pure;
 * thread-safe.
 */
final class ValueArgs {
  static final String APPEND_USAGE = "APPEND key[.path] value, e.g. APPEND person1.pets \"mouse\"";
  static final String SETVALUE_USAGE = "SETVALUE key value, e.g. SETVALUE pets [ \"cat\" ; \"dog\" ]";

  private final RecordParser values;

  ValueArgs(RecordParser values) {
    this.values = values;
  }

  /** APPEND or SETVALUE ({@code upper}) from a prompt line: {@code rest} is the text after the word. */
  Command line(String upper, String rest) throws BadCommandException {
    String[] split = InlineArgs.firstWordAndRest(rest);
    if (split == null) {
      throw new BadCommandException(upper + " needs a " + (upper.equals("APPEND") ? "key or path" : "key")
          + " and a value (usage: " + usage(upper) + ")");
    }
    return upper.equals("APPEND") ? append(split[0], split[1]) : putValue(typedKey(split[0]), split[1]);
  }

  /** APPEND or SETVALUE from a RESP request: {@code key value} arguments, or an inline line's rest. */
  Command request(String upper, Request request) throws BadCommandException {
    String[] split = null;
    boolean inline = false;
    if (request.size() == 3) {
      split = new String[] {request.arg(1), request.arg(2)};
    } else if (request.size() == 2 && request.isInline()) {
      split = InlineArgs.firstWordAndRest(request.arg(1));
      inline = true;
    }
    if (split == null) {
      throw new BadCommandException("wrong number of arguments for '" + upper + "' (expected: " + usage(upper) + ")");
    }
    if (upper.equals("APPEND")) {
      return append(split[0], split[1]);
    }
    return putValue(inline ? typedKey(split[0]) : checkedKey(split[0]), split[1]);
  }

  private Command append(String pathText, String valueText) throws BadCommandException {
    Path path;
    try {
      path = Path.parse(pathText);
    } catch (RecordFormatException e) {
      throw new BadCommandException("APPEND: invalid path: " + e.getMessage() + " (usage: " + APPEND_USAGE + ")", e);
    }
    checkedKey(path.key());
    return new Command.Append(path, element(valueText));
  }

  private Command putValue(String key, String valueText) throws BadCommandException {
    try {
      return new Command.PutValue(key, values.parseValue(valueText));
    } catch (RecordFormatException e) {
      throw new BadCommandException("SETVALUE: invalid value: " + e.getMessage()
          + " (expected: KV or JSON text; a string is quoted, as in SETVALUE greeting \"hello\")", e);
    }
  }

  /** APPEND's value: KV/JSON text, or a bare word as a string. */
  private Value element(String text) throws BadCommandException {
    try {
      return values.parseValue(text);
    } catch (RecordFormatException e) {
      if (isBareWord(text)) {
        return new StringValue(text);
      }
      throw new BadCommandException("APPEND: invalid value: " + e.getMessage() + " (expected: KV or JSON text; a"
          + " string is quoted, as in APPEND key \"two words\")", e);
    }
  }

  /** A plain word starting with a letter (not NaN or Infinity): a string without quotes, as kvServer takes it. */
  static boolean isBareWord(String text) {
    char first = text.isEmpty() ? 0 : text.charAt(0);
    return RecordPrinter.isPlainWord(text) && ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))
        && !List.of("NaN", "Infinity").contains(text);
  }

  /** A key typed as a record's key: a plain word, or a string in double quotes. */
  private static String typedKey(String word) throws BadCommandException {
    try {
      Path path = Path.parse(word);
      if (path.segments().isEmpty()) {
        return checkedKey(path.key());
      }
    } catch (RecordFormatException e) {
      // reported below
    }
    throw new BadCommandException("SETVALUE key: " + word + " (expected: a plain word of letters, digits, '_' and '-',"
        + " or the key in double quotes, as in SETVALUE \"a.b\" 1)");
  }

  /** Refuses a key holding U+0000, which KV reserves for the names of appends. */
  static String checkedKey(String key) throws BadCommandException {
    int at = key.indexOf(AppendKeys.SEPARATOR);
    if (at >= 0) {
      throw new BadCommandException("key: U+0000 at character " + (at + 1)
          + " (expected: a key without the NUL character, which KV reserves for the names of appends)");
    }
    return key;
  }

  private static String usage(String upper) {
    return upper.equals("APPEND") ? APPEND_USAGE : SETVALUE_USAGE;
  }
}
