package kv.resp.connection;

import kv.resp.Resp;

/** Error replies of the connection commands, in the form kvServer's other commands use. Stateless. */
final class Errors {
  private static final int MAX_QUOTED = 100;

  private Errors() {}

  static Resp.Error error(String text) {
    return new Resp.Error(text);
  }

  /** Redis's text, then what KV expects: {@code wrong number of arguments for 'ping' command (expected: ...)}. */
  static Resp.Error arity(String command, String usage) {
    return new Resp.Error("ERR wrong number of arguments for '" + command + "' command (expected: " + usage + ")");
  }

  /** Client-sent text for an error message: one line, at most 100 characters. */
  static String quote(String text) {
    String s = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 ? ' ' : c);
    }
    return out.toString();
  }
}
