package kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One client request: its arguments (binary-safe) and, for the inline form, the raw line as
 * typed (so {@code PUT "k" : { ... }} can take the rest of the line as a record). Immutable.
 */
public record Request(List<byte[]> args, String inlineLine) {
  public Request {
    args = List.copyOf(args);
  }

  public boolean isInline() {
    return inlineLine != null;
  }

  public int size() {
    return args.size();
  }

  /** The command word in upper case. */
  public String command() {
    return arg(0).toUpperCase(Locale.ROOT);
  }

  public String arg(int i) {
    return new String(args.get(i), StandardCharsets.UTF_8);
  }
}
