package kv.broker.cli;

import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads a duration option: {@code 250ms}, {@code 2s}, {@code 1m}, or a bare number of
 * milliseconds. Stateless.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    long unit;
    String digits;
    if (t.endsWith("ms")) {
      unit = 1;
      digits = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      unit = 1000;
      digits = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unit = 60_000;
      digits = t.substring(0, t.length() - 1);
    } else {
      unit = 1;
      digits = t;
    }
    try {
      long n = Long.parseLong(digits.strip());
      if (n <= 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(n * unit);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' (expected: a positive duration such as 500ms, 2s or 1m)");
    }
  }
}
