package kv.server;

import java.nio.charset.StandardCharsets;
import kv.record.AppendKeys;
import kv.resp.KeyPattern;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.ScanArgs;

/** Small helpers to build replies and check arguments. Stateless. */
final class Replies {
  /** Longest client text quoted back in an error message. */
  private static final int MAX_QUOTED = 100;

  private Replies() {}

  /** A KEYS or SCAN MATCH pattern; an unsupported one is the client's error. */
  static KeyPattern keyPattern(String pattern) {
    try {
      return KeyPattern.parse(pattern);
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
  }

  /**
   * The options after a SCAN-like command's cursor; options without a value are a wrong number
   * of arguments, a bad option or value the client's error.
   */
  static ScanArgs scanArgs(Request request, ScanArgs.Spec spec) {
    if (request.size() % 2 != 0) {
      throw CommandTable.wrongArity(spec.command(), spec.usage());
    }
    try {
      return ScanArgs.parse(request, 2, spec);
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
  }

  /**
   * {@code key} when a user may name it: any text without U+0000, the character that separates a
   * key from the version in the names of its APPEND entries (kv.record.AppendKeys).
   */
  static String userKey(String key) {
    if (key.indexOf(AppendKeys.SEPARATOR) >= 0) {
      throw new CommandException("key: '" + quote(key.replace(String.valueOf(AppendKeys.SEPARATOR), "\\u0000"))
          + "' holds U+0000 (expected: a key without U+0000, which KV keeps for the names of APPEND entries)");
    }
    return key;
  }

  static Resp.Error error(String prefix, String message) {
    return new Resp.Error(prefix + " " + oneLine(message));
  }

  static Resp bulk(String text) {
    return Resp.Bulk.of(text);
  }

  /** Client-sent text for an error message or log line: one line, at most 100 characters. */
  static String quote(String text) {
    String s = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    return oneLine(s);
  }

  static String quote(byte[] bytes) {
    int n = Math.min(bytes.length, MAX_QUOTED * 4);
    String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
    return quote(n < bytes.length ? s + "..." : s);
  }

  static long parseLong(String field, String text, long min, String expected) {
    try {
      long value = Long.parseLong(text);
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandException(field + ": '" + quote(text) + "' (expected: " + expected + ")");
  }

  /* RESP simple strings and errors end at CR LF: anything else that could break framing goes. */
  private static String oneLine(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || (c < 0x20 && c != '\t')) {
        if (out == null) {
          out = new StringBuilder(s.length());
          out.append(s, 0, i);
        }
        out.append(' ');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }
}
