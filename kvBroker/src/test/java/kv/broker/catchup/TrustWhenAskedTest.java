package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Outcome;
import kv.broker.eventual.FakeCluster;
import kv.broker.testing.Await;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica's answer counts as authoritative only if the replica was trusted when it was asked:
 * trust gained while the read waits for a slower replica says nothing of an answer given before
 * the hints were replayed. Three persistent servers, k = 3.
 */
class TrustWhenAskedTest {
  private static final String V1 = "{ \"op\" : 1 }";
  private static final String V2 = "{ \"op\" : 2 }";

  private final FakeCluster cluster = new FakeCluster(3, 3);
  private final RecordParser parser = new RecordParser();
  private ServerAddress holder;
  private ServerAddress returning;
  private ServerAddress slow;

  @BeforeEach
  void persistentServers() {
    cluster.addresses.forEach(a -> cluster.server(a).persistent(true));
    List<ServerAddress> replicas = cluster.replicas("k4");
    holder = replicas.get(0);
    returning = replicas.get(1);
    slow = replicas.get(2);
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  /**
   * Found by the simulation (seed 12235): a GET asked a restarted replica (not yet trusted: the
   * only holder of its hints was down) and another one that stalled; the holder came back, the
   * hint was replayed and the restarted replica trusted; then the stalled reply came in, and the
   * restarted replica's answer from before the replay was taken as authoritative: the broker's own
   * acknowledged PUT was not read.
   */
  @Test
  void anAnswerGivenBeforeTheReplicaWasTrustedIsNotAuthoritative() throws Exception {
    cluster.put("k4 : " + V1);
    cluster.crash(returning);
    cluster.crash(slow);
    assertThat(cluster.put("k4 : " + V2)).isEqualTo(new Outcome.Written("k4", 1, 3)); // hints on the holder
    cluster.crash(holder);

    cluster.server(returning).restart(false); // kept its data, without V2: catching up
    cluster.recover(returning);
    cluster.recover(slow);
    // The returning replica's catch-up drains the slow one (nothing for it there); the holder is down.
    Await.until("the slow replica drained", () -> cluster.server(slow).count("VHINTS") > 0);
    assertThat(cluster.status(returning).catchingUp()).isTrue();

    cluster.network.blackhole(slow); // the GET's request to it stalls (the failure detector's clock stands still)
    CompletableFuture<Outcome> read = cluster.service.get("k4"); // asks the returning and the slow replica
    assertThat(cluster.server(slow).entry("k4").text()).isEqualTo(V1);

    cluster.recover(holder);
    cluster.awaitCaughtUp(returning); // the hint replayed: trusted from now on
    assertThat(cluster.server(returning).entry("k4").text()).isEqualTo(V2);
    assertThat(read).isNotDone();

    cluster.network.heal(slow);
    Outcome outcome = read.get(5, TimeUnit.SECONDS);
    assertThat(outcome).isNotEqualTo(new Outcome.Found(parser.parseRecord("k4 : " + V1)));
    assertThat(outcome).isInstanceOf(Outcome.Unavailable.class);
  }
}
