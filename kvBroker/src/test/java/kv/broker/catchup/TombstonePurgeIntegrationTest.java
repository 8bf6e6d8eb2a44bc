package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import kv.broker.engine.Outcome;
import kv.broker.eventual.RealCluster;
import kv.broker.testing.Await;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DELETE through real in-process servers: after the grace period no replica has seen the key. The
 * failure detector's timeout is RealCluster's generous one, so a pause cannot mark a live replica
 * DOWN (which would keep the tombstone).
 */
class TombstonePurgeIntegrationTest {
  private final RealCluster cluster = new RealCluster(3, 2, Duration.ofMillis(300));

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void afterTheGraceNoReplicaHasTheTombstoneAndTheKeyIsStillNotFound() throws Exception {
    cluster.put("person1 : { \"name\" : \"John\" }");
    assertThat(cluster.delete("person1")).isEqualTo(new Outcome.Deleted("person1"));
    for (ServerAddress replica : cluster.replicas("person1")) {
      int i = cluster.addresses.indexOf(replica);
      Await.until("tombstone of person1 purged on " + replica, () -> cluster.vget(i, "person1") == null);
      assertThat(cluster.plainGet(i, "person1")).isNull();
    }
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.NotFound("person1"));
    assertThat(cluster.delete("person1")).isEqualTo(new Outcome.NotFound("person1"));
    // The broker counts a purge when both replicas' replies are in, which may be after a replica applied it.
    Await.until("both purges counted", () -> cluster.counter("tombstones_purged") == 2);
    assertThat(cluster.counter("tombstone_purges_pending")).isZero();
  }
}
