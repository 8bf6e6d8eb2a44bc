package kv.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints a markdown table of the memory each structure needs per key for {@code n} keys
 * {@code person1..personN} (default 1M) sharing one value object: JOL's walk of the object
 * graph (exact, includes the key strings HashMap and TreeMap keep) and, as a cross-check, the
 * growth of the used heap after full GCs. Run: java -cp benchmarks.jar kv.bench.MemoryPerKey [n].
 * Not thread-safe (a program).
 */
public final class MemoryPerKey {
  private MemoryPerKey() {
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "| structure (%,d keys) | JOL bytes/key | heap delta bytes/key |%n", n);
    out.println("|---|---:|---:|");
    for (KeyMap.Kind kind : KeyMap.Kind.values()) {
      long before = usedAfterGc();
      KeyMap map = KeyMap.load(kind, n, Boolean.TRUE);
      long delta = usedAfterGc() - before;
      long jol = GraphLayout.parseInstance(map.root()).totalSize();
      out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", kind, (double) jol / n, (double) delta / n);
      if (map.get(KeyMap.key(n)) == null) {
        throw new AssertionError(kind + " lost " + KeyMap.key(n)); // also keeps map reachable above
      }
    }
  }

  /* Several System.gc() calls: with G1 and the serial collector each is a full, stop-the-world GC. */
  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
