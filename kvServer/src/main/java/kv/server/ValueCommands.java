package kv.server;

import java.util.List;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.RecordFormatException;
import kv.record.RecordPrinter;
import kv.record.StringValue;
import kv.record.Value;
import kv.record.ValueTypes;
import kv.resp.InlineArgs;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * The commands on values beyond records: SETVALUE (any value at a key) and APPEND (one element
 * to a list, kept as an entry of its own; see {@link AppendMerge}). Versioned by the server's own
 * clock. Thread-safe (stateless over a thread-safe store).
 */
final class ValueCommands {
  static final String APPEND_USAGE = "APPEND key[.path] value, e.g. APPEND person1.pets \"mouse\"";
  static final String SETVALUE_USAGE = "SETVALUE key value, e.g. SETVALUE pets [ \"cat\" ; \"dog\" ]";

  private final Store store;
  private final DataCommands data;

  ValueCommands(Store store, DataCommands data) {
    this.store = store;
    this.data = data;
  }

  void register(CommandTable table) {
    table.add("APPEND", 1, 2, APPEND_USAGE, this::append)
        .add("SETVALUE", 1, 2, SETVALUE_USAGE, this::setValue)
        .route("APPEND", CommandTable.Route.WRITE,
            r -> List.of(DataCommands.parsePath(keyAndValue(r, APPEND_USAGE)[0]).key()), false)
        .route("SETVALUE", CommandTable.Route.WRITE, r -> {
          String key = keyAndValue(r, SETVALUE_USAGE)[0];
          return List.of(r.size() == 2 ? inlineKey(key) : key);
        }, false);
  }

  /*
   * SETVALUE key value: stores any value (KV or JSON text) at the key, as JSON.SET key $ does; a
   * record's set too. The versioned form is VPUT key version value. Inline, the key is a plain word
   * or a quoted string (as a record's key) and the value the rest of the line.
   */
  private Resp setValue(Request request, Session session) {
    String[] args = keyAndValue(request, SETVALUE_USAGE);
    String key = args[0];
    if (request.size() == 2) {
      key = inlineKey(key);
    }
    store.put(Replies.userKey(key), data.parseValue(args[1]));
    return Resp.OK;
  }

  /*
   * APPEND key[.path] value: checks, under the key's lock, that the place holds a list or nothing,
   * then stores the append as an entry of its own (Store.append); answers the list's new length
   * on this server. The value is KV/JSON text; a bare word (letters, digits, '_' and '-', starting
   * with a letter, not true/false/null) is taken as a string for convenience, so Redis's
   * "APPEND k v" works. Every other string is quoted.
   */
  private Resp append(Request request, Session session) {
    String[] args = keyAndValue(request, APPEND_USAGE);
    Path path = DataCommands.parsePath(args[0]);
    String key = Replies.userKey(path.key());
    Value element = element(args[1]);
    checkDepth("APPEND " + path, path.segments().size(), element, data.parser().limits().maxDepth());
    long length = store.locked(key, () -> {
      Value root = store.get(key);
      String refusal = AppendMerge.refusal(key, root, path.segments());
      if (refusal != null) {
        throw new CommandException("APPEND " + path + ": " + refusal);
      }
      Value list = root == null ? null : path.resolve(root);
      store.append(key, path.segments(), element);
      return list == null ? 1L : ((ListValue) list).items().size() + 1L;
    });
    return new Resp.Int(length);
  }

  /** The key (or path) and value arguments: two array arguments, or one inline line split in two. */
  private static String[] keyAndValue(Request request, String usage) {
    if (request.size() == 3) {
      return new String[] {request.arg(1), request.arg(2)};
    }
    String[] split = request.isInline() ? InlineArgs.firstWordAndRest(request.arg(1)) : null;
    if (split == null) {
      throw CommandTable.wrongArity(request.command(), usage);
    }
    return split;
  }

  /* An inline key is written as a record's key: a plain word, or a string in double quotes. */
  private static String inlineKey(String word) {
    try {
      Path path = Path.parse(word);
      if (path.segments().isEmpty()) {
        return path.key();
      }
    } catch (RecordFormatException e) {
      // reported below
    }
    throw new CommandException("SETVALUE key: " + Replies.quote(word) + " (expected: a plain word of letters, digits,"
        + " '_' and '-', or the key in double quotes, as in SETVALUE \"a.b\" 1)");
  }

  /** APPEND's value: KV/JSON text, or a bare word as a string. */
  private Value element(String text) {
    try {
      return data.parser().parseValue(text);
    } catch (RecordFormatException e) {
      if (isBareWord(text)) {
        return new StringValue(text);
      }
      throw new CommandException("invalid value: " + e.getMessage() + " (expected: KV or JSON text; a string is quoted,"
          + " as in APPEND key \"two words\")", e);
    }
  }

  static boolean isBareWord(String text) {
    char first = text.isEmpty() ? 0 : text.charAt(0);
    return RecordPrinter.isPlainWord(text) && ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))
        && !List.of("NaN", "Infinity").contains(text);
  }

  /**
   * An element appended under {@code segments} path segments nests 1 (the list) + segments + its
   * own depth deep; past the server's --max-depth it would not replay as a value, so it is refused.
   */
  static void checkDepth(String what, int segments, Value element, int maxDepth) {
    int depth = segments + 1 + ValueTypes.depth(element);
    if (depth > maxDepth) {
      throw new CommandException(what + ": the value would nest " + depth + " levels deep (expected: <= " + maxDepth
          + ", the server's --max-depth)");
    }
  }
}
