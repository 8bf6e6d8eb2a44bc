package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.eventual.EventualEngine;
import kv.broker.eventual.FakeCluster;
import kv.broker.testing.Await;
import kv.broker.testing.FakeServer;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import kv.resp.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, scenario 1, with nothing but the durable hint to carry the write: the surviving
 * replica refuses the resync's key walk ({@code VKEYS}), so the background resync after a restart
 * cannot copy anything, and the broker that took the write is gone. The write still reaches the
 * returning replica, from the hint the surviving replica logged with it. (DurableHintsTest's
 * scenario 1 passes even without hints, the background resync doing the copy.) Three persistent
 * servers, k = 2.
 */
class HintsOutliveTheBrokerTest {
  private static final String V1 = "{ \"name\" : \"Anna\" }";
  private static final String V2 = "{ \"name\" : \"Anna\" ; \"age\" : 30 }";

  private final FakeCluster cluster = new FakeCluster(3, 2);
  private EventualEngine second;
  private ServerAddress survivor;
  private ServerAddress returning;

  @BeforeEach
  void persistentServers() {
    cluster.addresses.forEach(a -> cluster.server(a).persistent(true));
    survivor = cluster.replicas("person9").get(0);
    returning = cluster.replicas("person9").get(1);
  }

  @AfterEach
  void close() {
    if (second != null) {
      second.close();
    }
    cluster.close();
  }

  private String text(ServerAddress server) {
    FakeServer.Entry e = cluster.server(server).entry("person9");
    return e == null ? null : e.text();
  }

  private ServerStatus status(ServerAddress address) {
    return second.status().servers().stream().filter(s -> s.address().equals(address.toString())).findFirst()
        .orElseThrow();
  }

  private String info(ServerAddress server) {
    Resp reply = cluster.server(server).handle(List.of("INFO".getBytes(StandardCharsets.US_ASCII)));
    return ((Resp.Bulk) reply).text();
  }

  @Test
  void theHintTheSurvivingReplicaLoggedBringsTheWriteWithoutAnyResync() throws Exception {
    cluster.put("person9 : " + V1);
    cluster.crash(returning);
    assertThat(cluster.put("person9 : " + V2)).isEqualTo(new Outcome.Written("person9", 1, 2));
    assertThat(info(survivor)).contains("hinted_servers:" + returning + "=1");
    cluster.service.close(); // a -c run, a script, a SIGKILLed broker: nothing of it remains

    cluster.server(survivor).failWith("VKEYS", "ERR this test allows no resync");
    cluster.server(returning).restart(false); // back with its data, without the write
    cluster.network.heal(returning);
    second = cluster.startBroker(2);
    Await.until(returning + " caught up for the new broker",
        () -> status(returning).up() && !status(returning).catchingUp());
    assertThat(text(returning)).isEqualTo(V2);
    assertThat(info(survivor)).doesNotContain(returning + "=");

    cluster.network.refuse(survivor);
    Await.until(survivor + " DOWN for the new broker", () -> !status(survivor).up());
    assertThat(second.get("person9").get(5, TimeUnit.SECONDS))
        .isEqualTo(new Outcome.Found(new RecordParser().parseRecord("person9 : " + V2)));
  }
}
