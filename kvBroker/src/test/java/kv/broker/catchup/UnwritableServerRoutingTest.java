package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import kv.broker.engine.Outcome;
import kv.broker.eventual.FakeCluster;
import kv.broker.testing.Await;
import kv.broker.testing.FakeServer;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, scenario 11, the broker's half pinned to INFO: once a server reports
 * {@code log_writable:0}, writes are not even sent to it (they go to the key's other replicas
 * with a hint), while reads still ask it. (DurableHintsTest's full-disk test also passes when the
 * broker sends every write to the full server and hints it only after the refusal.) Three
 * servers, k = 2.
 */
class UnwritableServerRoutingTest {
  private final FakeCluster cluster = new FakeCluster(3, 2);

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void aServerReportingItCannotLogGetsNoWritesButStillReads() throws Exception {
    ServerAddress fullAddress = cluster.replicas("person9").get(1);
    FakeServer full = cluster.server(fullAddress);
    cluster.put("person9 : { \"v\" : 0 }");
    full.logUnwritable(true);
    int[] n = {0};
    Await.until(fullAddress + " skipped for writes once its INFO says log_writable:0", () -> {
      int before = full.count("VPUT");
      Outcome outcome;
      try {
        outcome = cluster.put("person9 : { \"v\" : " + ++n[0] + " }");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return full.count("VPUT") == before && outcome.equals(new Outcome.Written("person9", 1, 2));
    });
    int readsBefore = full.count("VGET");
    assertThat(cluster.get("person9")).isInstanceOf(Outcome.Found.class);
    assertThat(full.count("VGET")).as("still read").isGreaterThan(readsBefore);
    assertThat(cluster.status(fullAddress).up()).isTrue();

    full.logUnwritable(false);
    Await.until("the writes it missed replayed", () -> ("{ \"v\" : " + n[0] + " }").equals(full.entry("person9").text()));
  }
}
