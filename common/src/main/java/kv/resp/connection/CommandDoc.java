package kv.resp.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.resp.Resp;

/**
 * The description of one command in Redis's COMMAND INFO and COMMAND DOCS shapes, so redis-cli
 * shows hints and help and client libraries find key positions. Immutable.
 *
 * @param name lower-case command name
 * @param arity Redis's convention: N means exactly N words with the command, -N at least N
 * @param flags e.g. {@code readonly}, {@code write}, {@code fast}
 * @param firstKey position of the first key argument (0: none)
 * @param lastKey position of the last key (-1: the last argument)
 * @param step between keys
 * @param group COMMAND DOCS group, e.g. {@code connection}, {@code generic}
 * @param summary one line
 * @param arguments the arguments as COMMAND DOCS lists them
 */
public record CommandDoc(String name, int arity, List<String> flags, int firstKey, int lastKey, int step,
    String group, String summary, List<Arg> arguments) {

  /** The version that KV's commands report as {@code since}. */
  static final String SINCE = "0.1.0";

  public CommandDoc {
    flags = List.copyOf(flags);
    arguments = List.copyOf(arguments);
  }

  /** A command without keys. */
  public static CommandDoc of(String name, int arity, String flags, String group, String summary, Arg... args) {
    return new CommandDoc(name, arity, words(flags), 0, 0, 0, group, summary, List.of(args));
  }

  /** A command whose keys are arguments {@code firstKey..lastKey} by {@code step}. */
  public static CommandDoc withKeys(String name, int arity, String flags, int firstKey, int lastKey, int step,
      String group, String summary, Arg... args) {
    return new CommandDoc(name, arity, words(flags), firstKey, lastKey, step, group, summary, List.of(args));
  }

  /** One argument of a command (COMMAND DOCS's argument map). */
  public record Arg(String name, String type, String token, boolean isOptional, boolean isMultiple, List<Arg> arguments) {
    public Arg {
      arguments = List.copyOf(arguments);
    }

    public static Arg key(String name) {
      return new Arg(name, "key", null, false, false, List.of());
    }

    public static Arg string(String name) {
      return new Arg(name, "string", null, false, false, List.of());
    }

    public static Arg integer(String name) {
      return new Arg(name, "integer", null, false, false, List.of());
    }

    public static Arg pattern(String name) {
      return new Arg(name, "pattern", null, false, false, List.of());
    }

    /** A word the client types as is, e.g. {@code SETNAME}. */
    public static Arg pureToken(String token) {
      return new Arg(token.toLowerCase(Locale.ROOT), "pure-token", token, false, false, List.of());
    }

    public static Arg oneOf(String name, Arg... choices) {
      return new Arg(name, "oneof", null, false, false, List.of(choices));
    }

    public static Arg block(String name, Arg... parts) {
      return new Arg(name, "block", null, false, false, List.of(parts));
    }

    /** This argument preceded by a keyword, e.g. {@code MATCH pattern}. */
    public Arg token(String token) {
      return new Arg(name, type, token, isOptional, isMultiple, arguments);
    }

    public Arg optional() {
      return new Arg(name, type, token, true, isMultiple, arguments);
    }

    public Arg multiple() {
      return new Arg(name, type, token, isOptional, true, arguments);
    }

    Resp docs() {
      List<Object> map = new ArrayList<>(List.of("name", Resp.Bulk.of(name), "type", Resp.Bulk.of(type)));
      if (token != null) {
        map.add("token");
        map.add(Resp.Bulk.of(token));
      }
      List<Resp> flagList = new ArrayList<>();
      if (isOptional) {
        flagList.add(new Resp.Simple("optional"));
      }
      if (isMultiple) {
        flagList.add(new Resp.Simple("multiple"));
      }
      if (!flagList.isEmpty()) {
        map.add("flags");
        map.add(new Resp.Set(flagList));
      }
      if (!arguments.isEmpty()) {
        map.add("arguments");
        map.add(new Resp.Array(arguments.stream().map(Arg::docs).toList()));
      }
      return Resp.Map.of(map.toArray());
    }
  }

  /** The COMMAND INFO entry: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands. */
  Resp info() {
    List<Resp> flagSet = flags.stream().map(f -> (Resp) new Resp.Simple(f)).toList();
    List<Resp> categories = new ArrayList<>();
    categories.add(new Resp.Simple("@" + (flags.contains("write") ? "write" : flags.contains("readonly") ? "read" : group)));
    if (flags.contains("fast")) {
      categories.add(new Resp.Simple("@fast"));
    }
    return new Resp.Array(List.of(Resp.Bulk.of(name), new Resp.Int(arity), new Resp.Set(flagSet),
        new Resp.Int(firstKey), new Resp.Int(lastKey), new Resp.Int(step), new Resp.Set(categories),
        new Resp.Set(List.of()), new Resp.Array(List.of()), new Resp.Array(List.of())));
  }

  /** The COMMAND DOCS value: summary, since, group, arguments. */
  Resp docs() {
    return Resp.Map.of("summary", Resp.Bulk.of(summary), "since", Resp.Bulk.of(SINCE), "group", Resp.Bulk.of(group),
        "arguments", new Resp.Array(arguments.stream().map(Arg::docs).toList()));
  }

  private static List<String> words(String flags) {
    return flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
  }
}
