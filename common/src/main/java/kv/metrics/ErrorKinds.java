package kv.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counter {@code PREFIX_errors_total{kind}}: error answers by kind, the first word of a RESP
 * error ({@code ERR}, {@code NOAUTH}, {@code CLUSTERDOWN}, ...). At most {@value #MAX_KINDS}
 * kinds get a series of their own; later ones, and words that are not upper-case names, count as
 * {@value #OTHER}, so a series per client input is impossible. Thread-safe.
 */
public final class ErrorKinds {
  /** The kind of an error whose first word is not a kind name, or past the bound. */
  public static final String OTHER = "OTHER";
  static final int MAX_KINDS = 64;
  private static final int MAX_KIND_LENGTH = 32;

  private final Counter errors;
  private final ConcurrentHashMap<String, CounterDataPoint> kinds = new ConcurrentHashMap<>();

  /** Registers {@code PREFIX_errors_total} in {@code registry}, with a series for each of {@code known} at 0. */
  public ErrorKinds(PrometheusRegistry registry, String prefix, String what, String... known) {
    this.errors = Counter.builder().name(prefix + "_errors_total")
        .help(what + " by kind: the first word of the error (ERR, NOAUTH, CLUSTERDOWN, ...)")
        .labelNames("kind").withoutExemplars().register(registry);
    for (String kind : known) {
      kinds.put(kind, errors.labelValues(kind));
    }
  }

  /** Counts one error whose text (without the leading {@code -}) is {@code text}. */
  public void count(String text) {
    kind(kindOf(text)).inc();
  }

  /** Counts one error of kind {@code kind} (an upper-case name). */
  public void countKind(String kind) {
    kind(kind).inc();
  }

  private CounterDataPoint kind(String kind) {
    CounterDataPoint point = kinds.get(kind);
    if (point != null) {
      return point;
    }
    if (kinds.size() >= MAX_KINDS) {
      return kinds.computeIfAbsent(OTHER, errors::labelValues);
    }
    return kinds.computeIfAbsent(kind, errors::labelValues);
  }

  /** The first word of {@code text} when it is an upper-case name (A-Z, 0-9, _), else {@value #OTHER}. */
  static String kindOf(String text) {
    int end = 0;
    while (end < text.length() && end <= MAX_KIND_LENGTH) {
      char c = text.charAt(end);
      if (c == ' ') {
        break;
      }
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return OTHER;
      }
      end++;
    }
    return end == 0 || end > MAX_KIND_LENGTH ? OTHER : text.substring(0, end);
  }
}
