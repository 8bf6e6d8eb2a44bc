package kv.raft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import kv.cluster.ServerFile;
import kv.resp.Resp;

/**
 * Benchmark (not a test): writes/s and reads/s through a {@link StrongClient} against running
 * strong-mode servers, and the time from a leader's SIGKILL to the first acknowledged write.
 * Run by {@code bench/strong}, which starts three servers; prints one markdown table.
 *
 * <pre>
 * StrongBench SERVER_FILE [--k 3] [--groups G] [--inflight N] [--seconds S] [--warmup S] [--value-bytes B]
 *             [--keys K] [--slots N] [--election-timeout MS] [--failover --workdir DIR]
 * </pre>
 */
public final class StrongBench {
  /** Servers this run started again after killing them; stopped when it ends. */
  private static final List<Process> RESTARTED = new ArrayList<>();

  private StrongBench() {}

  public static void main(String[] argv) throws Exception {
    Path file = Path.of(argv[0]);
    int k = 3;
    int groups = 0;
    int inflight = 512;
    int seconds = 20;
    int warmup = 20;
    int valueBytes = 256;
    int keys = 100_000;
    boolean failover = false;
    int slots = ClientOptions.defaults().writeSlots();
    int election = 0;
    Path workDir = Path.of(".");
    for (int i = 1; i < argv.length; i++) {
      switch (argv[i]) {
        case "--k" -> k = Integer.parseInt(argv[++i]);
        case "--groups" -> groups = Integer.parseInt(argv[++i]);
        case "--inflight" -> inflight = Integer.parseInt(argv[++i]);
        case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
        case "--warmup" -> warmup = Integer.parseInt(argv[++i]);
        case "--value-bytes" -> valueBytes = Integer.parseInt(argv[++i]);
        case "--keys" -> keys = Integer.parseInt(argv[++i]);
        case "--failover" -> failover = true;
        case "--slots" -> slots = Integer.parseInt(argv[++i]);
        case "--election-timeout" -> election = Integer.parseInt(argv[++i]);
        case "--workdir" -> workDir = Path.of(argv[++i]);
        default -> throw new IllegalArgumentException("argument: " + argv[i]);
      }
    }
    GroupLayout layout = GroupLayout.of(ServerFile.readLines(file), k, groups);
    int hosted = layout.groupsOf(layout.servers().get(0).address()).size();
    RaftTuning tuning = RaftTuning.defaults(hosted, 16 << 20);
    if (election > 0) {
      tuning = tuning.withElection(java.time.Duration.ofMillis(election), java.time.Duration.ofMillis(2L * election));
    }
    String value = "{ \"v\" : \"" + "x".repeat(Math.max(1, valueBytes - 12)) + "\" }";
    int keyCount = keys;
    List<String> rows = new ArrayList<>();
    rows.add("| measure | value |");
    rows.add("|---|---|");
    rows.add("| groups, k, servers | " + layout.groupCount() + ", " + layout.k() + ", " + layout.servers().size() + " |");
    rows.add("| election timeouts | " + tuning.electionMin().toMillis() + "-" + tuning.electionMax().toMillis() + " ms |");
    rows.add("| requests in flight | " + inflight + " |");
    ClientOptions options = ClientOptions.defaults().withSlots(slots, slots);
    rows.add("| Ratis clients (batches in flight) per group | " + slots + " writes, " + slots + " reads |");
    try (StrongClient client = StrongClient.connect(layout, tuning, options);
        StrongClient local = StrongClient.connect(layout, tuning, options.withReadMode(ClientOptions.ReadMode.LOCAL))) {
      IntFunction<CompletableFuture<Resp>> put = n -> {
        String key = String.format("k%07d", n % keyCount);
        return client.write(key, args("PUT", key, value));
      };
      IntFunction<CompletableFuture<Resp>> get = n -> {
        String key = String.format("k%07d", n % keyCount);
        return client.read(key, args("GET", key));
      };
      IntFunction<CompletableFuture<Resp>> localGet = n -> {
        String key = String.format("k%07d", n % keyCount);
        return local.read(key, args("GET", key));
      };
      if (failover) {
        rows.add("| first acknowledged write after the leader's SIGKILL | " + failover(client, layout, workDir) + " |");
      } else {
        run(put, inflight, warmup, "warm-up writes");
        long termsBefore = terms(client);
        long startedAt = System.nanoTime();
        long[] before = totals(client);
        double w = run(put, inflight, seconds, "writes");
        long[] after = totals(client);
        rows.add(String.format(Locale.ROOT, "| PUT writes/s (%d-byte values) | %,.0f |", valueBytes, w));
        rows.add(String.format(Locale.ROOT, "| mean writes per Raft entry | %.1f |",
            (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0])));
        run(get, inflight, Math.max(5, warmup / 2), "warm-up reads");
        before = totals(client);
        double r = run(get, inflight, seconds, "linearizable reads");
        after = totals(client);
        rows.add(String.format(Locale.ROOT, "| GET linearizable reads/s | %,.0f |", r));
        rows.add(String.format(Locale.ROOT, "| mean reads per ReadIndex | %.1f |",
            (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0])));
        double l = run(localGet, inflight, seconds, "local reads");
        rows.add(String.format(Locale.ROOT, "| GET local (leader, no ReadIndex) reads/s | %,.0f |", l));
        rows.add(String.format(Locale.ROOT, "| linearizable / local reads | %.2f |", r / l));
        double minutes = (System.nanoTime() - startedAt) / 60e9;
        rows.add(String.format(Locale.ROOT, "| elections per minute under load (all groups) | %.1f |",
            (terms(client) - termsBefore) / minutes));
      }
    }
    for (Process p : RESTARTED) {
      p.destroyForcibly();
    }
    for (String row : rows) {
      System.out.println(row);
    }
  }

  /* The sum of the groups' terms: each election adds at least one. */
  private static long terms(StrongClient client) throws Exception {
    long sum = 0;
    for (GroupStatus s : client.status().get(10, TimeUnit.SECONDS)) {
      sum += s.term();
    }
    return sum;
  }

  private static long[] totals(StrongClient client) {
    long batches = 0;
    long requests = 0;
    for (Map<String, Long> c : client.counters().values()) {
      batches += c.get("batches");
      requests += c.get("requests");
    }
    return new long[] {batches, requests};
  }

  /** Keeps {@code inflight} requests going for {@code seconds}; returns completed requests per second. */
  private static double run(IntFunction<CompletableFuture<Resp>> op, int inflight, int seconds, String what)
      throws InterruptedException {
    Semaphore window = new Semaphore(inflight);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    int n = 0;
    while (System.nanoTime() < end) {
      if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      op.apply(n++).whenComplete((r, e) -> {
        if (e != null || r instanceof Resp.Error) {
          failed.incrementAndGet();
        } else {
          done.incrementAndGet();
        }
        window.release();
      });
    }
    window.acquire(inflight);
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.err.printf(Locale.ROOT, "%s: %d done, %d failed in %.1f s%n", what, done.get(), failed.get(), elapsed);
    return done.get() / elapsed;
  }

  /*
   * One writer; SIGKILL the process of group 0's leader; the time to the next acknowledged
   * write. The killed server is started again with the same command in workDir, and the next
   * round waits until every member is up.
   */
  private static String failover(StrongClient client, GroupLayout layout, Path workDir) throws Exception {
    List<Long> gaps = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      String key = keyOf(layout, 0);
      for (int i = 0; i < 300; i++) {
        client.write(key, args("PUT", key, "{}")).get(30, TimeUnit.SECONDS);
      }
      GroupStatus status = client.status().get(10, TimeUnit.SECONDS).get(0);
      int port = status.leader().address().port();
      ProcessHandle leader = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
          .matches(".*kvServer.* -p " + port + " .*")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no kvServer process with -p " + port));
      List<String> command = new ArrayList<>();
      command.add(leader.info().command().orElseThrow());
      command.addAll(List.of(leader.info().arguments().orElseThrow()));
      long killed = System.nanoTime();
      leader.destroyForcibly();
      while (true) {
        try {
          client.write(key, args("PUT", key, "{}")).get(30, TimeUnit.SECONDS);
          break;
        } catch (Exception e) {
          // retry until the group has a new leader
        }
      }
      gaps.add((System.nanoTime() - killed) / 1_000_000);
      System.err.println("failover round " + round + ": " + gaps.get(round) + " ms");
      leader.onExit().get(30, TimeUnit.SECONDS);
      RESTARTED.add(new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("restarted-" + port + ".log").toFile()))
          .redirectErrorStream(true).start());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (client.status().get(10, TimeUnit.SECONDS).get(0).up().size() < layout.k()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the restarted server did not come back");
        }
        Thread.sleep(200);
      }
    }
    return gaps + " ms";
  }

  private static String keyOf(GroupLayout layout, int group) {
    for (int i = 0; ; i++) {
      if (layout.groupOf("f" + i) == group) {
        return "f" + i;
      }
    }
  }

  static List<byte[]> args(String... words) {
    return StrongClient.args(words);
  }
}
