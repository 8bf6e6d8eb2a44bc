package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.broker.engine.Outcome;
import kv.broker.testing.Await;
import kv.testkit.LogCapture;
import kv.clock.HybridLogicalClock;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, scenarios 4, 5 and 6: versions from other writers. A PUT every replica holds a newer
 * version of is not reported as written, and moves the broker's clock; equal versions with
 * different values converge on one tie-break; a version far in the future is ignored by the
 * clock, logged once, and does not stop later writes. Three servers, k = 2.
 */
class VersionConflictTest {
  private final FakeCluster cluster = new FakeCluster(3, 2);
  private final RecordParser parser = new RecordParser();

  @AfterEach
  void close() {
    cluster.close();
  }

  /** A version {@code aheadMillis} ahead of now, as a broker with a faster clock would write. */
  private static long versionAhead(long aheadMillis, int node) {
    return ((System.currentTimeMillis() + aheadMillis) << 20) | node;
  }

  /** Scenario 4: the other broker's clock is 2 s ahead; its write is on every replica. */
  @Test
  void aPutEveryReplicaHeldANewerVersionOfIsNotReportedAsWrittenAndTheNextOneWins() throws Exception {
    long newer = versionAhead(2000, 7);
    for (ServerAddress replica : cluster.replicas("person9")) {
      cluster.server(replica).store("person9", newer, "{ \"by\" : \"the faster broker\" }");
    }
    Outcome outcome = cluster.put("person9 : { \"by\" : \"us\" }");
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).message()).contains("newer").contains(Long.toString(newer));
    assertThat(cluster.get("person9")).isEqualTo(new Outcome.Found(parser.parseRecord("person9 : { \"by\" : \"the faster broker\" }")));

    // Its clock moved past the newer version: the same PUT again wins.
    assertThat(cluster.put("person9 : { \"by\" : \"us\" }")).isEqualTo(new Outcome.Written("person9", 2, 2));
    assertThat(cluster.get("person9")).isEqualTo(new Outcome.Found(parser.parseRecord("person9 : { \"by\" : \"us\" }")));
  }

  /**
   * Two PUTs of one key through this broker at once, the later one delivered first (as redis-benchmark's
   * 50 clients do): the earlier one is not a lost write but one the later overwrote at once, so
   * both are acknowledged and the later value stays. (It once said "a newer write won".)
   */
  @Test
  void aPutOvertakenByALaterPutThroughTheSameBrokerIsAcknowledged() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("race");
    replicas.forEach(cluster.network::blackhole);
    var first = cluster.service.put(parser.parseRecord("race : { \"n\" : 1 }"));
    var second = cluster.service.put(parser.parseRecord("race : { \"n\" : 2 }"));
    replicas.forEach(r -> cluster.network.heal(r, true));
    assertThat(first.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Outcome.Written("race", 2, 2));
    assertThat(second.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Outcome.Written("race", 2, 2));
    assertThat(cluster.get("race")).isEqualTo(new Outcome.Found(parser.parseRecord("race : { \"n\" : 2 }")));
  }

  /**
   * Scenario 5: two writers produced the same version with different values (same millisecond,
   * counter and 8-bit node id); each replica kept the one it saw first. Every read answers the same
   * winner, and read repair makes the replicas agree.
   */
  @Test
  void equalVersionsWithDifferentValuesConvergeOnOneWinner() throws Exception {
    long version = versionAhead(0, 3);
    List<ServerAddress> replicas = cluster.replicas("tie");
    cluster.server(replicas.get(0)).store("tie", version, "{ \"v\" : \"a\" }");
    cluster.server(replicas.get(1)).store("tie", version, "{ \"v\" : \"b\" }");
    String winner = "{ \"v\" : \"b\" }"; // the greater text wins a tie, on every server and broker
    assertThat(cluster.get("tie")).isEqualTo(new Outcome.Found("tie", winner));
    Await.until("the replicas agree", () -> cluster.replicas("tie").stream()
        .allMatch(r -> winner.equals(cluster.server(r).entry("tie").text())));

    // The other way round gives the same winner.
    List<ServerAddress> others = cluster.replicas("tie2");
    cluster.server(others.get(0)).store("tie2", version, "{ \"v\" : \"b\" }");
    cluster.server(others.get(1)).store("tie2", version, "{ \"v\" : \"a\" }");
    assertThat(cluster.get("tie2")).isEqualTo(new Outcome.Found("tie2", winner));
    Await.until("the replicas agree", () -> cluster.replicas("tie2").stream()
        .allMatch(r -> winner.equals(cluster.server(r).entry("tie2").text())));
  }

  /**
   * Scenario 6, the broker's half: a forged version (year 2248) read from a replica neither moves
   * nor overflows the broker's clock; it is logged once; writes go on, and a PUT of the key itself
   * says why it cannot replace that version.
   */
  @Test
  void aForgedVersionInAReadIsLoggedOnceAndWritesGoOn() throws Exception {
    ServerAddress forgedOn = cluster.replicas("k").get(0);
    cluster.server(forgedOn).store("k", Long.MAX_VALUE, "{ }");
    try (LogCapture log = new LogCapture("kv.broker")) {
      cluster.get("k");
      cluster.get("k");
      List<String> warnings = log.warnings().stream().filter(m -> m.contains(Long.toString(Long.MAX_VALUE))).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("'k'").contains(forgedOn.toString()).contains("2248");
    }
    assertThat(cluster.put("other : { \"v\" : 1 }")).isEqualTo(new Outcome.Written("other", 2, 2));
    long written = cluster.server(cluster.replicas("other").get(0)).entry("other").version();
    assertThat(Math.abs(HybridLogicalClock.millisOf(written) - System.currentTimeMillis())).isLessThan(60_000);
    assertThat(cluster.delete("other")).isEqualTo(new Outcome.Deleted("other"));

    // A replica keeps the forged version, which every read would answer: the PUT says so.
    Outcome put = cluster.put("k : { \"v\" : 2 }");
    assertThat(put).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) put).message()).contains("2248");
  }
}
