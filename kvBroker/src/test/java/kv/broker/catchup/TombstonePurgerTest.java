package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import kv.broker.engine.Outcome;
import kv.broker.eventual.FakeCluster;
import kv.broker.testing.Await;
import kv.broker.testing.FakeServer;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tombstones every replica has are purged after the grace period, unless written again or a replica is down. */
class TombstonePurgerTest {
  private static final Duration GRACE = Duration.ofMillis(400);

  private final FakeCluster cluster = new FakeCluster(3, 2, FakeCluster.MAX_HINTS, GRACE);

  @AfterEach
  void close() {
    cluster.close();
  }

  private int purgesSent() {
    int n = 0;
    for (ServerAddress address : cluster.addresses) {
      n += cluster.server(address).count("VPURGE");
    }
    return n;
  }

  private String keyNotOn(ServerAddress server, String prefix) {
    for (int i = 0; ; i++) {
      if (!cluster.replicas(prefix + i).contains(server)) {
        return prefix + i;
      }
    }
  }

  private void awaitPurged(String key) {
    Await.until(key + " purged on its replicas",
        () -> cluster.replicas(key).stream().allMatch(r -> cluster.server(r).entry(key) == null));
  }

  @Test
  void aDeleteEveryReplicaAppliedIsPurgedOnAllOfThemAfterTheGrace() throws Exception {
    cluster.put("a : { \"v\" : 1 }");
    long started = System.nanoTime();
    assertThat(cluster.delete("a")).isEqualTo(new Outcome.Deleted("a"));
    List<ServerAddress> replicas = cluster.replicas("a");
    for (ServerAddress r : replicas) {
      assertThat(cluster.server(r).entry("a").text()).as("tombstone on %s", r).isNull();
    }
    awaitPurged("a");
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(GRACE.toNanos());
    for (ServerAddress r : replicas) {
      assertThat(cluster.server(r).count("VPURGE")).as("VPURGE to %s", r).isEqualTo(1);
    }
    assertThat(cluster.server(cluster.nonReplica("a")).count("VPURGE")).isZero();
    // Counted when both replies are in, which may be just after the replicas applied the purge.
    Await.until("both purges counted", () -> cluster.counter("tombstones_purged") == 2);
    assertThat(cluster.counter("tombstone_purges_pending")).isZero();
    assertThat(cluster.get("a")).isEqualTo(new Outcome.NotFound("a"));
  }

  @Test
  void aNewerPutCancelsThePendingPurge() throws Exception {
    cluster.put("a : { \"v\" : 1 }");
    cluster.put("b : { \"v\" : 1 }");
    assertThat(cluster.delete("a")).isEqualTo(new Outcome.Deleted("a"));
    assertThat(cluster.counter("tombstone_purges_pending")).isEqualTo(1);
    cluster.put("a : { \"v\" : 2 }");
    assertThat(cluster.counter("tombstone_purges_pending")).isZero();

    // b's purge, scheduled later, has run: a's would have run before it.
    assertThat(cluster.delete("b")).isEqualTo(new Outcome.Deleted("b"));
    awaitPurged("b");
    assertThat(purgesSent()).isEqualTo(2);
    assertThat(cluster.get("a")).isInstanceOf(Outcome.Found.class);
  }

  @Test
  void aReplicaDownWhenTheTimerFiresKeepsTheTombstone() throws Exception {
    ServerAddress down = cluster.addresses.get(0);
    String a = "a";
    for (int i = 0; !cluster.replicas(a).contains(down); i++) {
      a = "a" + i;
    }
    cluster.put(a + " : { \"v\" : 1 }");
    String b = keyNotOn(down, "b");
    cluster.put(b + " : { \"v\" : 1 }");
    assertThat(cluster.delete(a)).isEqualTo(new Outcome.Deleted(a));
    long tombstone = cluster.server(down).entry(a).version();
    cluster.crash(down);
    assertThat(cluster.counter("tombstone_purges_pending")).as("crashed before the timer fired").isEqualTo(1);

    assertThat(cluster.delete(b)).isEqualTo(new Outcome.Deleted(b));
    awaitPurged(b);
    assertThat(purgesSent()).isEqualTo(2); // b's only
    for (ServerAddress r : cluster.replicas(a)) {
      FakeServer.Entry e = cluster.server(r).entry(a);
      assertThat(e).as("tombstone kept on %s", r).isEqualTo(new FakeServer.Entry(tombstone, null));
    }
  }

  @Test
  void offKeepsTombstones() throws Exception {
    try (FakeCluster off = new FakeCluster(2, 2, FakeCluster.MAX_HINTS, Duration.ZERO)) {
      off.put("a : { \"v\" : 1 }");
      assertThat(off.delete("a")).isEqualTo(new Outcome.Deleted("a"));
      assertThat(off.counter("tombstone_purges_pending")).isZero();
    }
  }
}
