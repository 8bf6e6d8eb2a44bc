package kv.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * get, put (overwrite of an existing key) and prefix scan on a map already holding {@code n}
 * keys {@code person1..personN}, for this project's RadixTrie, HashMap, TreeMap and
 * concurrent-trees' ConcurrentRadixTree. Single-threaded; one JMH state per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MapBenchmark {
  /* Lookups cycle through a fixed random sample (a power of two, so the index is a mask). */
  private static final int SAMPLE = 1 << 16;
  private static final Object VALUE = Boolean.TRUE;

  @Param({"RadixTrie", "HashMap", "TreeMap", "ConcurrentRadixTree"})
  public String kind;

  @Param("1000000")
  public int n;

  private KeyMap map;
  private String[] keys;
  private String[] prefixes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    map = KeyMap.load(KeyMap.Kind.valueOf(kind), n, VALUE);
    SplittableRandom random = new SplittableRandom(42);
    keys = new String[SAMPLE];
    prefixes = new String[SAMPLE];
    for (int i = 0; i < SAMPLE; i++) {
      // new String objects: a lookup never hits the stored key by identity
      keys[i] = new String(KeyMap.key(1 + random.nextInt(n)));
      // person + 5 digits: 11 keys with 1M keys (person12345, person123450..person123459)
      prefixes[i] = "person" + (10_000 + random.nextInt(90_000));
    }
  }

  private int nextIndex() {
    return next++ & (SAMPLE - 1);
  }

  @Benchmark
  public Object get() {
    return map.get(keys[nextIndex()]);
  }

  @Benchmark
  public void put() {
    map.put(keys[nextIndex()], VALUE);
  }

  @Benchmark
  public long prefixScan() {
    return map.scan(prefixes[nextIndex()]);
  }
}
