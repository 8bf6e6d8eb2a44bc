package kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One client request: its arguments (binary-safe) and, for the inline form, the raw line as
 * typed (so {@code PUT "k" : { ... }} can take the rest of the line as a record). Immutable.
 */
public final class Request {
  private final List<byte[]> args;
  private final String inlineLine;
  /** The command word in upper case, worked out once: every request is dispatched by it. */
  private final String command;

  public Request(List<byte[]> args, String inlineLine) {
    this.args = List.copyOf(args);
    this.inlineLine = inlineLine;
    this.command = this.args.isEmpty() ? "" : upperCase(this.args.get(0));
  }

  public List<byte[]> args() {
    return args;
  }

  /** The line as typed for an inline request, else null. */
  public String inlineLine() {
    return inlineLine;
  }

  public boolean isInline() {
    return inlineLine != null;
  }

  public int size() {
    return args.size();
  }

  /** The command word in upper case. */
  public String command() {
    return command;
  }

  /**
   * Argument {@code i} as text.
   *
   * @throws InvalidUtf8Exception when it is not valid UTF-8 (use {@link #args()} for binary data,
   *     as ECHO does)
   */
  public String arg(int i) {
    return Utf8.decode(args.get(i), i, command);
  }

  /** Upper case without decoding twice for the usual ASCII word; anything else the general way. */
  private static String upperCase(byte[] word) {
    byte[] upper = new byte[word.length];
    for (int i = 0; i < word.length; i++) {
      byte b = word[i];
      if (b < 0) {
        return new String(word, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
      }
      upper[i] = b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b;
    }
    return new String(upper, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return isInline() ? "Request[inline " + inlineLine + "]" : "Request[" + args.size() + " args, " + command + "]";
  }
}
