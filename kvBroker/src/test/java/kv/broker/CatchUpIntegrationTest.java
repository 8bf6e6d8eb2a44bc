package kv.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kv.record.RecordParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Catch-up against three real in-process kvServers (k = 2): a server restarted empty on its port
 * (a wiped server with a new instance id) is resynced from its partners before it is trusted.
 */
class CatchUpIntegrationTest {
  private final RealCluster cluster = new RealCluster(3, 2);
  private final RecordParser parser = new RecordParser();

  @AfterEach
  void close() {
    cluster.close();
  }

  private List<String> keysOn(int server, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      String key = "user" + i;
      if (cluster.replicas(key).contains(cluster.address(server))) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void aWipedServerIsResyncedAndServesTheNewValuesOnceItsPartnersAreGone() throws Exception {
    List<String> keys = keysOn(0, 40);
    for (String key : keys) {
      assertThat(cluster.put(key + " : { \"v\" : 1 }")).isEqualTo(new Outcome.Written(key, 2, 2));
    }
    cluster.stop(0);
    for (String key : keys) {
      assertThat(cluster.put(key + " : { \"v\" : 2 ; \"name\" : \"" + key + "\" }")).isEqualTo(new Outcome.Written(key, 1, 2));
    }
    assertThat(cluster.delete(keys.get(0))).isInstanceOf(Outcome.Refused.class);

    cluster.restart(0);
    cluster.awaitCaughtUp(0);
    assertThat(cluster.status(0).records()).isEqualTo(40);
    cluster.stop(1);
    cluster.stop(2);
    for (String key : keys) {
      assertThat(cluster.get(key))
          .isEqualTo(new Outcome.Found(parser.parseRecord(key + " : { \"v\" : 2 ; \"name\" : \"" + key + "\" }")));
    }
  }

  @Test
  void aDeletedKeyStaysDeletedAfterAWipedReplicaIsResynced() throws Exception {
    List<String> keys = keysOn(1, 5);
    for (String key : keys) {
      cluster.put(key + " : { \"v\" : 1 }");
    }
    assertThat(cluster.delete(keys.get(0))).isEqualTo(new Outcome.Deleted(keys.get(0)));
    cluster.stop(1);
    cluster.restart(1);
    cluster.awaitCaughtUp(1);
    cluster.stop(0);
    cluster.stop(2);
    assertThat(cluster.get(keys.get(0))).isEqualTo(new Outcome.NotFound(keys.get(0)));
    for (String key : keys.subList(1, keys.size())) {
      assertThat(cluster.get(key)).isInstanceOf(Outcome.Found.class);
    }
  }
}
