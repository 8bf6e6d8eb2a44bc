package kv.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to insert {@code n} keys {@code person1..personN} in ascending order into an empty map
 * (what indexing a createData file does to a server's top-level trie). Single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class LoadBenchmark {
  @Param({"RadixTrie", "HashMap", "TreeMap", "ConcurrentRadixTree"})
  public String kind;

  @Param("1000000")
  public int n;

  @Benchmark
  public Object load() {
    return KeyMap.load(KeyMap.Kind.valueOf(kind), n, Boolean.TRUE).root();
  }
}
