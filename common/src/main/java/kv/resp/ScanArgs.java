package kv.resp;

import java.util.Locale;

/**
 * The options after the cursor of SCAN and of the servers' VSCAN and VKEYS:
 * {@code [MATCH pattern] [COUNT n]}, in any order, the last of each winning. COUNT is a hint, as
 * in Redis: an integer of at least 1, and above {@link #MAX_COUNT} a call examines
 * {@link #MAX_COUNT} entries; the same bounds for the router and the servers. A pure parser over a
 * request's arguments; the result is immutable.
 */
public record ScanArgs(KeyPattern pattern, int count) {
  /** The most entries one call examines, whatever COUNT asks. */
  public static final int MAX_COUNT = 10_000;
  private static final int SHOWN = 40;

  /** What a command accepts after its cursor. */
  public record Spec(String command, String usage, boolean match, int defaultCount) {}

  /**
   * Parses the option pairs of {@code request} from argument {@code first} on; the caller has
   * checked that they come in pairs.
   *
   * @throws IllegalArgumentException naming the option or the value that is wrong and what is expected
   */
  public static ScanArgs parse(Request request, int first, Spec spec) {
    if ((request.size() - first) % 2 != 0) {
      throw new IllegalArgumentException("arguments: " + (request.size() - first)
          + " after the cursor (expected: option and value pairs, " + spec.usage() + ")");
    }
    KeyPattern pattern = KeyPattern.all();
    int count = spec.defaultCount();
    for (int i = first; i < request.size(); i += 2) {
      String option = request.arg(i).toUpperCase(Locale.ROOT);
      if (option.equals("MATCH") && spec.match()) {
        pattern = KeyPattern.parse(request.arg(i + 1));
      } else if (option.equals("COUNT")) {
        count = count(request.arg(i + 1));
      } else {
        throw new IllegalArgumentException(spec.command() + " option: '" + shown(request.arg(i))
            + "' is not supported (expected: " + spec.usage() + ")");
      }
    }
    return new ScanArgs(pattern, count);
  }

  private static int count(String text) {
    try {
      long count = Long.parseLong(text);
      if (count >= 1) {
        return (int) Math.min(count, MAX_COUNT);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("COUNT: '" + shown(text) + "' (expected: an integer >= 1)");
  }

  /** Client text for a message: one line, at most SHOWN characters. */
  private static String shown(String text) {
    String s = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
    return s.replaceAll("[\\x00-\\x1f]", " ");
  }
}
