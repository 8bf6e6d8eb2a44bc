package kv.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Request counters and latency histograms per command ({@code PREFIX_requests_total} and
 * {@code PREFIX_request_duration_seconds}, labelled {@code command} and optionally one more label
 * with a fixed set of values, e.g. the front end), with one {@link Meter} made per command name
 * in advance, so counting a request is one map lookup and two updates. Names outside the list
 * share the meter {@value #OTHER}, so clients cannot add series. Thread-safe.
 */
public final class RequestMeters {
  /*
   * A meter's series appear at its first request, except those of the eager commands, which are
   * there at 0 from the start (the ones a dashboard expects; every command of a server would be
   * ~60 histograms of zeros). Exemplars are off: with them the client library asks a tracer for
   * the current span at every observation. Classic buckets only (the text format has no native
   * histograms), from 50 µs (a GET answered from memory) to 10 s (a write during an election).
   */
  /** The command label of requests whose command is not in the list. */
  public static final String OTHER = "unknown";
  /** Upper bounds of the latency buckets, in seconds. */
  public static final double[] LATENCY_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Counter requests;
  private final Histogram latency;
  private final Map<String, Meter[]> meters;
  private final int variants;

  /**
   * Registers the two metrics in {@code registry} and makes a meter per command in
   * {@code commands} (and per value of the further label, when there is one).
   *
   * @param prefix the metric names' prefix, e.g. {@code kv} for {@code kv_requests_total}
   * @param eager the commands whose series are shown at 0 before their first request
   * @param label the further label's name, or null for none
   * @param values the further label's values (ignored without a label)
   */
  public RequestMeters(PrometheusRegistry registry, String prefix, Collection<String> commands,
      Collection<String> eager, String label, List<String> values) {
    String[] names = label == null ? new String[] {"command"} : new String[] {"command", label};
    List<String> variantValues = label == null ? List.of("") : List.copyOf(values);
    this.variants = variantValues.size();
    this.requests = Counter.builder().name(prefix + "_requests_total")
        .help("Requests answered, by command" + (label == null ? "" : " and " + label))
        .labelNames(names).withoutExemplars().register(registry);
    this.latency = Histogram.builder().name(prefix + "_request_duration_seconds").unit(Unit.SECONDS)
        .help("Time from a request's start to its answer, by command" + (label == null ? "" : " and " + label))
        .labelNames(names).classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
    Map<String, Meter[]> made = new HashMap<>();
    TreeSet<String> all = new TreeSet<>(commands);
    all.add(OTHER);
    for (String command : all) {
      Meter[] row = new Meter[variants];
      for (int v = 0; v < variants; v++) {
        row[v] = label == null ? new Meter(command) : new Meter(command, variantValues.get(v));
        if (eager.contains(command)) {
          row[v].bind();
        }
      }
      made.put(command, row);
    }
    this.meters = Map.copyOf(made);
  }

  /** Meters by command only, no further label. */
  public RequestMeters(PrometheusRegistry registry, String prefix, Collection<String> commands,
      Collection<String> eager) {
    this(registry, prefix, commands, eager, null, List.of());
  }

  /** The meter of {@code command} (upper case, as dispatched), or {@value #OTHER}'s. */
  public Meter meter(String command) {
    return meter(command, 0);
  }

  /** The meter of {@code command} with the further label's {@code variant}-th value. */
  public Meter meter(String command, int variant) {
    Meter[] row = meters.get(command);
    return (row != null ? row : meters.get(OTHER))[variant];
  }

  /** The counter and histogram of one command (and value of the further label). Thread-safe. */
  public final class Meter {
    private final String[] labels;
    /* Bound at the first request; labelValues returns the same data point to racing threads. */
    private volatile CounterDataPoint count;
    private volatile DistributionDataPoint time;

    Meter(String... labels) {
      this.labels = labels;
    }

    private void bind() {
      time = latency.labelValues(labels);
      count = requests.labelValues(labels);
    }

    /** One request answered after {@code nanos} nanoseconds. */
    public void observe(long nanos) {
      CounterDataPoint c = count;
      if (c == null) {
        bind();
        c = count;
      }
      c.inc();
      time.observe(nanos / 1e9);
    }
  }
}
