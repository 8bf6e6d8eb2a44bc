package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 12: a deterministic simulation of the eventual engine (in the spirit of FoundationDB's
 * simulation and Jepsen's checkers). Each seed builds a cluster of 3 to 5 servers running
 * kvServer's own command handlers over simulated logs, 2 or 3 brokers, and a random schedule of
 * PUT/DELETE/GET (several in flight per broker), SIGKILLs and power cuts (which lose part of the
 * unsynced tail), restarts, full disks, broker SIGKILLs and restarts with new node ids (few, so
 * equal versions happen), clock skew between brokers of up to 3 s, a server-file change and the
 * purge grace passing, all on one simulated clock and network: no thread, no sleep, the same seed
 * replays exactly. Then every server comes back, a new broker heals the cluster, and the check
 * is: every acknowledged write that survived on a replica's disk is what a GET answers or lost to
 * a newer write (no acknowledged write lost, no deleted record back), every value answered was
 * written by someone, and all replicas of every key agree.
 *
 * <p>CI runs {@code sim.seeds} seeds (default 500) from {@code sim.start} (default 1). By hand:
 * {@code mvn -pl kvBroker -am test -Dtest=EventualSimulationTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsim.seeds=100000}; one seed with its whole schedule printed: {@code -Dsim.seed=N}. A failing
 * seed's schedule is printed and written to {@code target/simulation-seed-N.txt}.
 *
 * <p>Real bugs it found on the way, each now with a regression test of its own: a server new to the
 * cluster that took a few writes before any broker compared it was taken for one that kept its
 * data (seed 168; DurableHintsTest), and a DELETE whose replicas refused it for a full log was
 * reported done (seed 315; DurableHintsTest).
 *
 * <p>Besides the final check, every GET during the run must answer its own broker's last
 * acknowledged write on the key or something newer (unless a power cut came since). Planted bugs
 * it found (tried before this test was committed, each on the CI seeds 1..500, then removed):
 * <ul>
 *   <li>read repair's choice without the version comparison (the last replica's answer wins:
 *       {@code if (v.newerThan(newest))} replaced by {@code if (true)} in {@code ReplicaRead}):
 *       seeds 1, 3 and 4 fail; seed 1: "#117 b7 GET k1 -> Found[... "op" : 20 ...] answered an older
 *       write than its broker's own acknowledged #99 b7 PUT k1 ...";
 *   <li>hints replayed without their versions (each copy sent with a version 2^24 newer than the
 *       holder's, in {@code HintReplay}): seeds 1, 3 and 4 fail; seed 1: "k3: the replicas hold a
 *       value no PUT wrote at that version";
 *   <li>a resync that copies from any server, not only from the key's replicas (scenario 2):
 *       past the CI seeds, seed 1300 of 1500 fails: "k4: acknowledged #261 b8 DELETE k4 ... is
 *       lost (the deleted record is back)".
 * </ul>
 */
class EventualSimulationTest {

  @Test
  void seededSchedulesLoseNoAcknowledgedWriteAndBringNoDeleteBack() throws IOException {
    String one = System.getProperty("sim.seed");
    long start = one != null ? Long.parseLong(one) : Long.getLong("sim.start", 1);
    long seeds = one != null ? 1 : Long.getLong("sim.seeds", 500);
    List<String> failures = new ArrayList<>();
    long operations = 0;
    Logger kv = (Logger) LoggerFactory.getLogger("kv");
    Level before = kv.getLevel();
    kv.setLevel(Level.OFF); // thousands of simulated crashes: their log lines would drown the report
    String debug = System.getProperty("sim.debug"); // e.g. kv.broker.catchup.TombstonePurger, with -Dsim.seed
    if (debug != null) {
      ((Logger) LoggerFactory.getLogger(debug)).setLevel(Level.DEBUG);
    }
    try {
      for (long seed = start; seed < start + seeds && failures.size() < 3; seed++) {
        Simulation.Result result = new Simulation(seed).run();
        operations += result.schedule().size();
        if (one != null) {
          result.schedule().forEach(System.out::println);
          System.out.println(result.summary());
        }
        if (!result.passed()) {
          Path file = Path.of("target", "simulation-seed-" + seed + ".txt");
          Files.createDirectories(file.getParent());
          List<String> report = new ArrayList<>(result.violations());
          report.add("");
          report.addAll(result.schedule());
          Files.write(file, report);
          failures.add("seed " + seed + " (rerun: -Dsim.seed=" + seed + "; schedule in " + file.toAbsolutePath()
              + "):\n  " + String.join("\n  ", result.violations()) + "\n  last events:\n    "
              + String.join("\n    ", result.schedule().subList(Math.max(0, result.schedule().size() - 40),
              result.schedule().size())));
        }
      }
    } finally {
      kv.setLevel(before);
      if (debug != null) {
        ((Logger) LoggerFactory.getLogger(debug)).setLevel(null);
      }
    }
    System.out.println("simulation: seeds " + start + ".." + (start + seeds - 1) + ", " + operations + " events, "
        + failures.size() + " failing");
    assertThat(failures).as("failing seeds").isEmpty();
  }
}
