package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.testing.Await;
import kv.clock.HybridLogicalClock;
import kv.cluster.ServerAddress;
import kv.record.IntValue;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.StringValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rules of SPEC.md §6 against in-memory servers behind a firewall: three servers, k = 2. */
class ReplicationTest {
  private final FakeCluster cluster = new FakeCluster(3, 2);
  private final RecordParser parser = new RecordParser();

  @AfterEach
  void close() {
    cluster.close();
  }

  private Record record(String text) throws Exception {
    return parser.parseRecord(text);
  }

  @Test
  void aPutGoesToExactlyTheKReplicasAndIsReadBack() throws Exception {
    assertThat(cluster.put("person1 : { \"name\" : \"John\" ; \"age\" : 22 }"))
        .isEqualTo(new Outcome.Written("person1", 2, 2));

    for (ServerAddress replica : cluster.replicas("person1")) {
      assertThat(cluster.server(replica).entry("person1").text()).isEqualTo("{ \"name\" : \"John\" ; \"age\" : 22 }");
    }
    assertThat(cluster.server(cluster.nonReplica("person1")).entry("person1")).isNull();
    assertThat(cluster.get("person1"))
        .isEqualTo(new Outcome.Found(record("person1 : { \"name\" : \"John\" ; \"age\" : 22 }")));
  }

  @Test
  void queryWalksThePathAndAnAbsentPathOrKeyIsNotFound() throws Exception {
    cluster.put("person2 : { \"name\" : \"Mary\" ; \"address\" : { \"street\" : \"Panepistimiou\" ; \"number\" : 12 } }");
    Path number = Path.parse("person2.address.number");
    assertThat(cluster.service.query(number).get(5, TimeUnit.SECONDS))
        .isEqualTo(new Outcome.QueryValue(number, new IntValue(12)));
    Path name = Path.parse("person2.name");
    assertThat(cluster.service.query(name).get(5, TimeUnit.SECONDS))
        .isEqualTo(new Outcome.QueryValue(name, new StringValue("Mary")));
    assertThat(cluster.service.query(Path.parse("person2.phone")).get(5, TimeUnit.SECONDS))
        .isEqualTo(new Outcome.NotFound("person2"));
    assertThat(cluster.get("name")).isEqualTo(new Outcome.NotFound("name"));
  }

  @Test
  void withAllReplicasDownAReadIsUnavailableNeverNotFound() throws Exception {
    cluster.put("person1 : { \"age\" : 22 }");
    List<ServerAddress> replicas = cluster.replicas("person1");
    replicas.forEach(cluster::crash);

    Outcome outcome = cluster.get("person1");
    assertThat(outcome).isEqualTo(new Outcome.Unavailable("person1", 2, replicas.stream().map(Object::toString).toList()));
    // Also for a key that does not exist: it could not be checked.
    List<ServerAddress> absentReplicas = cluster.replicas("ghost");
    if (replicas.containsAll(absentReplicas)) {
      assertThat(cluster.get("ghost")).isInstanceOf(Outcome.Unavailable.class);
    }
    assertThat(cluster.service.query(Path.parse("person1.age")).get(5, TimeUnit.SECONDS))
        .isInstanceOf(Outcome.Unavailable.class);
  }

  @Test
  void withOneReplicaDownReadsStillAnswerAndPutsCountTheAcknowledgements() throws Exception {
    cluster.put("person1 : { \"age\" : 22 }");
    ServerAddress down = cluster.replicas("person1").get(0);
    cluster.crash(down);

    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(record("person1 : { \"age\" : 22 }")));
    assertThat(cluster.put("person1 : { \"age\" : 23 }")).isEqualTo(new Outcome.Written("person1", 1, 2));
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(record("person1 : { \"age\" : 23 }")));

    cluster.recover(down);
    // The newest version wins, and the recovered replica gets it from the broker's hint.
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(record("person1 : { \"age\" : 23 }")));
    Await.until("hint replayed to " + down, () -> "{ \"age\" : 23 }".equals(cluster.server(down).entry("person1").text()));
  }

  @Test
  void aPutWithNoReplicaUpAcknowledgesNothing() throws Exception {
    cluster.replicas("person9").forEach(cluster::crash);
    assertThat(cluster.put("person9 : { \"name\" : \"Anna\" }")).isEqualTo(new Outcome.Written("person9", 0, 2));
  }

  @Test
  void deleteIsRefusedWhileAReplicaIsDownNamingItAndDeletesNothing() throws Exception {
    cluster.put("person1 : { \"age\" : 22 }");
    ServerAddress down = cluster.replicas("person1").get(1);
    ServerAddress other = cluster.replicas("person1").get(0);
    cluster.crash(down);

    assertThat(cluster.delete("person1")).isEqualTo(new Outcome.Refused("person1", List.of(down.toString())));
    assertThat(cluster.server(other).entry("person1").text()).isNotNull();
    assertThat(cluster.get("person1")).isInstanceOf(Outcome.Found.class);
  }

  @Test
  void deleteTombstonesEveryReplicaAndAnAbsentKeyIsNotFound() throws Exception {
    cluster.put("person1 : { \"age\" : 22 }");
    assertThat(cluster.delete("person1")).isEqualTo(new Outcome.Deleted("person1"));
    for (ServerAddress replica : cluster.replicas("person1")) {
      assertThat(cluster.server(replica).entry("person1").text()).isNull();
    }
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.NotFound("person1"));
    assertThat(cluster.delete("person1")).isEqualTo(new Outcome.NotFound("person1"));
    // An absent key leaves no tombstone behind.
    assertThat(cluster.delete("never")).isEqualTo(new Outcome.NotFound("never"));
    for (ServerAddress replica : cluster.replicas("never")) {
      assertThat(cluster.server(replica).entry("never")).isNull();
    }
    // A PUT after the DELETE is newer than the tombstone.
    cluster.put("person1 : { \"age\" : 30 }");
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(record("person1 : { \"age\" : 30 }")));
  }

  @Test
  void theNewestVersionWinsWhicheverReplicaHasIt() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("k1");
    cluster.server(replicas.get(0)).store("k1", 100, "{ \"v\" : 1 }");
    cluster.server(replicas.get(1)).store("k1", 200, "{ \"v\" : 2 }");
    assertThat(cluster.get("k1")).isEqualTo(new Outcome.Found(record("k1 : { \"v\" : 2 }")));

    cluster.server(replicas.get(0)).store("k1", 300, "{ \"v\" : 3 }");
    assertThat(cluster.get("k1")).isEqualTo(new Outcome.Found(record("k1 : { \"v\" : 3 }")));
    assertThat(cluster.service.query(Path.parse("k1.v")).get(5, TimeUnit.SECONDS))
        .isEqualTo(new Outcome.QueryValue(Path.parse("k1.v"), new IntValue(3)));
  }

  @Test
  void aTombstoneNewerThanAValueMeansNotFoundAndAnOlderOneDoesNot() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("k2");
    cluster.server(replicas.get(0)).store("k2", 100, "{ \"v\" : 1 }");
    cluster.server(replicas.get(1)).store("k2", 200, null);
    assertThat(cluster.get("k2")).isEqualTo(new Outcome.NotFound("k2"));
    assertThat(cluster.service.query(Path.parse("k2.v")).get(5, TimeUnit.SECONDS)).isEqualTo(new Outcome.NotFound("k2"));

    cluster.server(replicas.get(0)).store("k2", 300, "{ \"v\" : 3 }");
    assertThat(cluster.get("k2")).isEqualTo(new Outcome.Found(record("k2 : { \"v\" : 3 }")));
  }

  @Test
  void writesAfterReadingANewerVersionAreNewerStill() throws Exception {
    // Another broker's clock runs 30 s ahead (within the servers' bound); once this broker has seen
    // its version, its own next write must still win (the HLC observes every version read).
    long future = new HybridLogicalClock(9, () -> System.currentTimeMillis() + 30_000).next();
    for (ServerAddress replica : cluster.replicas("k3")) {
      cluster.server(replica).store("k3", future, "{ \"v\" : \"future\" }");
    }
    assertThat(cluster.get("k3")).isEqualTo(new Outcome.Found(record("k3 : { \"v\" : \"future\" }")));

    assertThat(cluster.put("k3 : { \"v\" : \"mine\" }")).isEqualTo(new Outcome.Written("k3", 2, 2));
    assertThat(cluster.get("k3")).isEqualTo(new Outcome.Found(record("k3 : { \"v\" : \"mine\" }")));
    for (ServerAddress replica : cluster.replicas("k3")) {
      assertThat(cluster.server(replica).entry("k3").version()).isGreaterThan(future);
    }
  }

  @Test
  void replicasThatStopAnsweringMakeAReadUnavailableNotNotFound() throws Exception {
    cluster.put("person1 : { \"age\" : 22 }");
    List<ServerAddress> replicas = cluster.replicas("person1");
    // Hung, not crashed: connections stay open, requests are never answered, the broker still
    // believes the servers are UP when it sends.
    replicas.forEach(cluster.network::blackhole);

    CompletableFuture<Outcome> read = cluster.service.get("person1");
    cluster.silence.advance(FakeCluster.TIMEOUT.minusMillis(1));
    Await.stays("no answer while the replicas are silent for less than the timeout", Duration.ofMillis(300),
        () -> !read.isDone());
    // Silent for the timeout: the failure detector marks them DOWN, which fails the read's requests.
    cluster.silence.advance(Duration.ofMillis(1));
    Outcome outcome = read.get(10, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Outcome.Unavailable.class);
    assertThat(((Outcome.Unavailable) outcome).downServers())
        .containsExactlyInAnyOrderElementsOf(replicas.stream().map(Object::toString).toList());
    Await.until("hung replicas marked DOWN", () -> replicas.stream().noneMatch(cluster::isUp));

    replicas.forEach(cluster::recover);
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(record("person1 : { \"age\" : 22 }")));
  }

  @Test
  void anErrorReplyIsAFailureNotATransportProblem() throws Exception {
    cluster.put("person1 : { \"age\" : 22 }");
    List<ServerAddress> replicas = cluster.replicas("person1");

    // One replica answers an error: the other one's answer is used.
    cluster.server(replicas.get(0)).failWith("VGET", "ERR disk on fire");
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(record("person1 : { \"age\" : 22 }")));

    // Both answer errors: Failed with the server's message, and the servers stay UP.
    cluster.server(replicas.get(1)).failWith("VGET", "ERR disk on fire");
    Outcome outcome = cluster.get("person1");
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).message()).contains("ERR disk on fire").contains(replicas.get(0).toString());
    assertThat(replicas).allMatch(cluster::isUp);

    cluster.server(replicas.get(0)).failWith("VPUT", "ERR invalid record: too big");
    Outcome put = cluster.put("person1 : { \"age\" : 23 }");
    assertThat(put).isEqualTo(new Outcome.Failed("server " + replicas.get(0) + ": ERR invalid record: too big"));
  }

  @Test
  void statusHasOneRowPerServerInFileOrderWithRecordsAndTransitions() throws Exception {
    cluster.put("a : { \"x\" : 1 }");
    cluster.put("b : { \"x\" : 1 }");
    cluster.put("c : { \"x\" : 1 }");
    List<ServerStatus> rows = cluster.service.status().servers();
    assertThat(rows).extracting(ServerStatus::address)
        .containsExactlyElementsOf(cluster.addresses.stream().map(Object::toString).toList());
    assertThat(rows).allMatch(ServerStatus::up).allMatch(s -> s.instanceId() != null).noneMatch(ServerStatus::catchingUp);
    // Records come from INFO, refreshed by the heartbeat: 6 copies of 3 records over 3 servers.
    Await.until("records refreshed by INFO",
        () -> cluster.service.status().servers().stream().mapToLong(ServerStatus::records).sum() == 6);

    ServerAddress first = cluster.addresses.get(0);
    ServerStatus before = cluster.service.status().servers().get(0);
    cluster.crash(first);
    ServerStatus down = cluster.service.status().servers().get(0);
    assertThat(down.up()).isFalse();
    assertThat(down.since()).isAfterOrEqualTo(before.since());
  }
}
