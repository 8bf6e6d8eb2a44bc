package kv.server;

import java.util.Locale;
import kv.resp.Request;
import kv.resp.Resp;

/** Formats the parts of a request log line: the key a request is about and its outcome. Stateless. */
final class RequestLog {
  private static final int MAX_KEY = 60;

  private RequestLog() {}

  /**
   * The key the request names ({@code -} when none): the first argument, or a record's key.
   * Never a password: AUTH shows its user name only, HELLO nothing.
   */
  static String key(Request request) {
    String command = request.command();
    if (command.equals("AUTH")) {
      return request.size() == 3 ? Replies.quote(new String(request.args().get(1), java.nio.charset.StandardCharsets.UTF_8))
          : "-";
    }
    if (request.size() < 2 || command.equals("HELLO")) {
      return "-";
    }
    String key = new String(request.args().get(1), java.nio.charset.StandardCharsets.UTF_8); // as sent, even invalid
    boolean recordText = request.command().equals("PUT") && request.size() == 2;
    if (recordText && key.indexOf(':') > 0) {
      key = key.substring(0, key.indexOf(':')).strip();
      if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
        key = key.substring(1, key.length() - 1);
      }
    }
    return Replies.quote(key.length() > MAX_KEY ? key.substring(0, MAX_KEY) + "..." : key);
  }

  /** A short description of a reply: found, not found, OK, 1, error text. */
  static String outcome(Resp reply) {
    if (reply instanceof Resp.NullBulk || reply instanceof Resp.NullArray) {
      return "not found";
    } else if (reply instanceof Resp.Bulk) {
      return "found";
    } else if (reply instanceof Resp.Simple s) {
      return s.text();
    } else if (reply instanceof Resp.Int i) {
      return Long.toString(i.value());
    } else if (reply instanceof Resp.Array a) {
      return "array of " + a.items().size();
    } else if (reply instanceof Resp.Error e) {
      return "error: " + e.text();
    }
    return reply.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
