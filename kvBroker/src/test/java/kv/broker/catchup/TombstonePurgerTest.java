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

  private final FakeCluster cluster = new FakeCluster(3, 2, GRACE);

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

    // b's replicas are up, but a server of the cluster is down (it may hold a hint of b): kept too.
    assertThat(cluster.delete(b)).isEqualTo(new Outcome.Deleted(b));
    Await.until("b's timer fired", () -> cluster.counter("tombstone_purges_pending") == 0);
    cluster.recover(down);
    cluster.awaitCaughtUp(down);
    String c = keyNotOn(down, "c");
    cluster.put(c + " : { \"v\" : 1 }");
    assertThat(cluster.delete(c)).isEqualTo(new Outcome.Deleted(c));
    awaitPurged(c);
    assertThat(purgesSent()).isEqualTo(2); // c's only
    for (ServerAddress r : cluster.replicas(a)) {
      FakeServer.Entry e = cluster.server(r).entry(a);
      assertThat(e).as("tombstone kept on %s", r).isEqualTo(new FakeServer.Entry(tombstone, null));
    }
    assertThat(cluster.server(cluster.replicas(b).get(0)).entry(b)).as("b's tombstone kept").isNotNull();
  }

  /**
   * Issue 12, scenario 2: a key that moved to other replicas (the server file changed) left a copy
   * on its old server. After a DELETE and the purge, a resync of one of its replicas must not copy
   * that leftover back: copies outside a key's replica set never win over a purge.
   */
  @Test
  void aLeftoverCopyOutsideTheReplicaSetDoesNotComeBackAfterThePurge() throws Exception {
    String key = "moved";
    ServerAddress old = cluster.nonReplica(key);
    cluster.server(old).store(key, 1000, "{ \"v\" : 0 }"); // written when it was a replica
    cluster.put(key + " : { \"v\" : 1 }");
    assertThat(cluster.delete(key)).isEqualTo(new Outcome.Deleted(key));
    awaitPurged(key);

    ServerAddress wiped = cluster.replicas(key).get(0);
    cluster.crash(wiped);
    cluster.server(wiped).restart(true); // comes back empty: resynced from the others
    cluster.recover(wiped);
    cluster.awaitCaughtUp(wiped);
    assertThat(cluster.server(wiped).entry(key)).as("nothing copied from " + old).isNull();
    assertThat(cluster.get(key)).isEqualTo(new Outcome.NotFound(key));
  }

  /**
   * Issue 12, scenario 3: a replica restarted after the delete (with --fsync everysec it may have
   * lost the tombstone with its last second of writes and come back with the live record). Its
   * instance changed since the delete, so the tombstones are kept: purged, the other replica's
   * tombstone could no longer stop the stale copy.
   */
  @Test
  void aTombstoneIsKeptWhenAReplicaRestartedSinceTheDelete() throws Exception {
    try (FakeCluster slow = new FakeCluster(3, 2, Duration.ofSeconds(2))) {
      slow.addresses.forEach(a -> slow.server(a).persistent(true));
      String key = "lost";
      slow.put(key + " : { \"v\" : 1 }");
      List<ServerAddress> replicas = slow.replicas(key);
      ServerAddress keeper = replicas.get(0);
      ServerAddress restarted = replicas.get(1);
      FakeServer.Entry live = slow.server(restarted).entry(key);
      assertThat(slow.delete(key)).isEqualTo(new Outcome.Deleted(key));

      slow.crash(restarted);
      slow.server(restarted).restart(false);
      slow.server(restarted).store(key, live.version(), live.text()); // the tombstone was in the lost second
      slow.server(keeper).failWith("VKEYS", "ERR busy"); // its resync cannot bring the tombstone back
      slow.recover(restarted);
      slow.awaitCaughtUp(restarted);
      Await.until("the purge's time has come", () -> slow.counter("tombstone_purges_pending") == 0);

      assertThat(slow.server(keeper).entry(key)).as("tombstone kept on " + keeper).isNotNull();
      slow.server(keeper).failWith("VKEYS", null);
      assertThat(slow.get(key)).isEqualTo(new Outcome.NotFound(key));
    }
  }

  @Test
  void offKeepsTombstones() throws Exception {
    try (FakeCluster off = new FakeCluster(2, 2, Duration.ZERO)) {
      off.put("a : { \"v\" : 1 }");
      assertThat(off.delete("a")).isEqualTo(new Outcome.Deleted("a"));
      assertThat(off.counter("tombstone_purges_pending")).isZero();
    }
  }
}
