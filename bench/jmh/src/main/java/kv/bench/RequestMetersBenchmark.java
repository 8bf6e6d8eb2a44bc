package kv.bench;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.metrics.RequestMeters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting one request costs kvServer's connection layer: the meter lookup by command name
 * (a new String per request, as the decoder makes one), the counter and the histogram update,
 * plus the two {@code System.nanoTime()} calls around the request. {@code oneThread} and
 * {@code twoThreads} (kvServer's default I/O threads, counting the same command) in ns per
 * request; compare with a GET's few microseconds of server time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestMetersBenchmark {
  private RequestMeters meters;
  private final char[] get = {'G', 'E', 'T'};

  @Setup
  public void setUp() {
    meters = new RequestMeters(new PrometheusRegistry(), "kv",
        List.of("GET", "PUT", "DELETE", "QUERY", "EXISTS", "DBSIZE", "KEYS", "SCAN", "INFO", "PING", "ECHO", "VGET",
            "VPUT", "VDEL", "VKEYS", "VSCAN", "VVERSIONS", "JSON.GET", "JSON.SET", "APPEND", "SETVALUE"), List.of("GET"));
  }

  @Benchmark
  @Threads(1)
  public void oneThread() {
    count();
  }

  @Benchmark
  @Threads(2)
  public void twoThreads() {
    count();
  }

  /** The same work without the metrics: the clock reads and the command's String. */
  @Benchmark
  @Threads(1)
  public long baseline() {
    long started = System.nanoTime();
    String command = new String(get);
    return System.nanoTime() - started + command.length();
  }

  private void count() {
    long started = System.nanoTime();
    String command = new String(get);
    meters.meter(command).observe(System.nanoTime() - started);
  }
}
