package kv.server.durable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import kv.record.IntValue;
import kv.record.SetValue;
import kv.record.StringValue;

/**
 * Not a test: appends from 1..16 threads for a few seconds each and prints appends/s, for both
 * fsync policies. Run: java -cp <test classpath> kv.server.durable.DurableLogBenchmark [seconds [fsync-interval-ms]]
 */
public final class DurableLogBenchmark {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    Duration interval = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1000);
    SetValue value = SetValue.builder().put("name", new StringValue("John"))
        .put("address", SetValue.builder().put("street", new StringValue("Panepistimiou"))
            .put("number", new IntValue(12)).build())
        .put("age", new IntValue(22)).build();
    System.out.println("record: person123456 : " + value + " (" + Frames.entry("person123456", 1, value).size()
        + " bytes framed)");
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      for (int threads : new int[] {1, 2, 4, 8, 16}) {
        Path dir = Files.createTempDirectory("durable-bench");
        // compaction effectively off: measure appends only
        DurableConfig config = DurableConfig.of(dir).withFsync(policy).withFsyncInterval(interval).withCompactMinBytes(Long.MAX_VALUE / 4);
        AtomicLong count = new AtomicLong();
        try (DurableLog log = DurableLog.open(config, (k, v, s) -> { }, visitor -> { })) {
          long end = System.nanoTime() + (long) (seconds * 1e9);
          List<Thread> workers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
              long n = 0;
              try {
                while ((n & 63) != 0 || System.nanoTime() < end) {
                  log.append("person" + id + "_" + (n % 100_000), n, value, () -> true);
                  n++;
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
              count.addAndGet(n);
            });
            workers.add(w);
            w.start();
          }
          long started = System.nanoTime();
          for (Thread w : workers) {
            w.join();
          }
          double secs = (System.nanoTime() - started) / 1e9;
          System.out.printf("%-14s threads=%2d  %,12.0f appends/s  (%,d MB written)%n", policy, threads,
              count.get() / secs, Files.size(dir.resolve("log.000001")) >> 20);
        } finally {
          try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }
}
