package kv.broker.command;

import java.util.List;

/** What {@code help} lists, and the command words a prompt completes. Stateless. */
public final class CommandHelp {
  /** The commands with their one-line usage, in the order {@code help} lists them. */
  private static final List<String[]> USAGE = List.of(
      new String[] {"GET key", "print the value stored under key (a record, or any value)"},
      new String[] {"QUERY key.path", "print the value at a path inside a record, e.g. person2.address.number"},
      new String[] {"PUT key : { ... }", "store a record on the key's replicas (replaces the whole record)"},
      new String[] {"APPEND key[.path] value", "add one element to the list there (a missing key or path becomes [value])"},
      new String[] {"SETVALUE key value", "store any value at a key: a list, a string, a number, true/false, null, a set"},
      new String[] {"DELETE key", "delete a record (needs every replica of the key up)"},
      new String[] {"KEYS prefix*", "list the keys starting with prefix, in key order (* for all, or an exact key)"},
      new String[] {"EXISTS key [key ...]", "count how many of the keys exist"},
      new String[] {"DBSIZE", "count the keys in the cluster"},
      new String[] {"LOCATE key", "show the servers that hold key, their state and the version each holds"},
      new String[] {"STATUS", "table of servers: address, up/down, since when, records"},
      new String[] {"HELP", "this list"},
      new String[] {"EXIT", "leave (also QUIT or Ctrl-D)"});

  private CommandHelp() {}

  /** The text of {@code help}: the commands with their usage, in a table. */
  public static String text() {
    int width = 0;
    for (String[] usage : USAGE) {
      width = Math.max(width, usage[0].length());
    }
    StringBuilder out = new StringBuilder("Commands (case-insensitive; keys are case-sensitive, bare or \"quoted\"):\n");
    for (String[] usage : USAGE) {
      out.append("  ").append(usage[0]).append(" ".repeat(width - usage[0].length() + 2)).append(usage[1]).append('\n');
    }
    out.append("Ctrl-C abandons the line; Up/Down walk the history; Tab completes command words.");
    return out.toString();
  }

  /** The command words a prompt offers for completion, lower case. */
  public static List<String> completionWords() {
    return List.of("get", "query", "put", "append", "setvalue", "delete", "keys", "exists", "dbsize", "locate", "status",
        "help", "exit");
  }
}
