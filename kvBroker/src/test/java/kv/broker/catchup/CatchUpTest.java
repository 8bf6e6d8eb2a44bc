package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.eventual.FakeCluster;
import kv.broker.testing.Await;
import kv.broker.testing.FakeServer;
import kv.testkit.LogCapture;
import kv.cluster.ServerAddress;
import kv.record.IntValue;
import kv.record.Path;
import kv.record.RecordParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read repair, hinted handoff and resync against in-memory servers: three servers, k = 2. */
class CatchUpTest {
  private FakeCluster cluster = new FakeCluster(3, 2);
  private final RecordParser parser = new RecordParser();

  @AfterEach
  void close() {
    cluster.close();
  }

  private List<String> keysOn(ServerAddress server, int n, String prefix) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      String key = prefix + i;
      if (cluster.replicas(key).contains(server)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private String text(ServerAddress server, String key) {
    FakeServer.Entry e = cluster.server(server).entry(key);
    return e == null ? null : e.text();
  }

  @Test
  void aReadRepairsAReplicaThatAnsweredAnOlderVersionOrNothing() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("k1");
    cluster.server(replicas.get(0)).store("k1", 100, "{ \"v\" : 1 }");
    cluster.server(replicas.get(1)).store("k1", 200, "{ \"v\" : 2 }");
    assertThat(cluster.get("k1")).isEqualTo(new Outcome.Found(parser.parseRecord("k1 : { \"v\" : 2 }")));
    Await.until("stale replica repaired", () -> cluster.server(replicas.get(0)).entry("k1").version() == 200);
    assertThat(text(replicas.get(0), "k1")).isEqualTo("{ \"v\" : 2 }");

    // A QUERY answers with the value at the path only: the repair fetches the whole record first.
    List<ServerAddress> others = cluster.replicas("k2");
    cluster.server(others.get(1)).store("k2", 300, "{ \"v\" : 3 ; \"w\" : 4 }");
    assertThat(cluster.service.query(Path.parse("k2.v")).get(5, TimeUnit.SECONDS))
        .isEqualTo(new Outcome.QueryValue(Path.parse("k2.v"), new IntValue(3)));
    Await.until("missing replica repaired", () -> cluster.server(others.get(0)).entry("k2") != null);
    assertThat(text(others.get(0), "k2")).isEqualTo("{ \"v\" : 3 ; \"w\" : 4 }");

    // A newer tombstone is repaired as a tombstone.
    cluster.server(replicas.get(1)).store("k1", 400, null);
    assertThat(cluster.get("k1")).isEqualTo(new Outcome.NotFound("k1"));
    Await.until("tombstone repaired", () -> cluster.server(replicas.get(0)).entry("k1").version() == 400);
    assertThat(text(replicas.get(0), "k1")).isNull();
    assertThat(cluster.counter("read_repairs")).isEqualTo(3);
  }

  @Test
  void writesMissedWhileDownAreReplayedFromHintsWhenTheServerIsUpAgain() throws Exception {
    ServerAddress down = cluster.addresses.get(0);
    List<String> keys = keysOn(down, 40, "h");
    for (String key : keys) {
      cluster.put(key + " : { \"v\" : 1 }");
    }
    cluster.crash(down);
    for (String key : keys) {
      assertThat(cluster.put(key + " : { \"v\" : 2 }")).isEqualTo(new Outcome.Written(key, 1, 2));
    }
    cluster.put(keys.get(0) + " : { \"v\" : 3 }");
    // The replicas that took the writes keep the hints (status counts them from their INFO).
    Await.until("40 hints reported", () -> cluster.status(down).hints() == 40);
    int before = cluster.server(down).count("VPUT");

    cluster.recover(down);
    cluster.awaitCaughtUp(down);
    assertThat(cluster.status(down).hints()).isZero();
    for (String key : keys) {
      assertThat(text(down, key)).isEqualTo(key.equals(keys.get(0)) ? "{ \"v\" : 3 }" : "{ \"v\" : 2 }");
    }
    // One replay per key (the newest hint only), no resync of a server that merely reconnected.
    assertThat(cluster.server(down).count("VPUT") - before).isEqualTo(40);
    assertThat(cluster.server(down).count("VVERSIONS")).isZero();
    assertThat(cluster.counter("hints_replayed")).isEqualTo(40);
  }

  @Test
  void manyHintsAreReplayedPageByPage() throws Exception {
    ServerAddress down = cluster.addresses.get(1);
    cluster.crash(down);
    List<String> keys = keysOn(down, 600, "o");
    for (String key : keys) {
      cluster.put(key + " : { \"v\" : 7 }");
    }
    cluster.recover(down);
    cluster.awaitCaughtUp(down);
    for (String key : keys) {
      assertThat(text(down, key)).isEqualTo("{ \"v\" : 7 }");
    }
    int pages = 0;
    for (ServerAddress holder : cluster.addresses) {
      pages += cluster.server(holder).count("VHINTS");
    }
    assertThat(pages).isGreaterThan(2);
    assertThat(cluster.server(down).count("VVERSIONS")).as("no resync").isZero();
    assertThat(cluster.counter("hints_replayed")).isEqualTo(600);
  }

  @Test
  void aRestartedEmptyServerIsNotTrustedForNotFoundUntilResynced() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("person1");
    ServerAddress wiped = replicas.get(0);
    ServerAddress partner = replicas.get(1);
    cluster.put("person1 : { \"age\" : 22 }");

    cluster.crash(partner);
    cluster.crash(wiped);
    cluster.server(wiped).restart(true);
    cluster.recover(wiped);
    // Its partner is down, so it cannot be resynced: it stays catching up and is not believed.
    assertThat(cluster.status(wiped).catchingUp()).isTrue();
    Outcome outcome = cluster.get("person1");
    assertThat(outcome).isInstanceOf(Outcome.Unavailable.class);
    assertThat(((Outcome.Unavailable) outcome).downServers()).contains(partner.toString(), wiped + " (catching up)");

    cluster.recover(partner);
    cluster.awaitCaughtUp(wiped);
    cluster.crash(partner);
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found(parser.parseRecord("person1 : { \"age\" : 22 }")));
  }

  /**
   * A restart that kept its data: trusted for the keys it shares with a server once that server's
   * hints for it are replayed; for the keys it shares with a server that is down (which may hold
   * hints for it) not yet.
   */
  @Test
  void aPersistentServerThatKeptItsDataIsTrustedOnceItsHintsAreReplayed() throws Exception {
    ServerAddress a = cluster.addresses.get(0);
    ServerAddress b = cluster.addresses.get(1);
    ServerAddress c = cluster.addresses.get(2);
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < 10; i++) {
      if (cluster.replicas("p" + i).containsAll(List.of(a, b))) {
        keys.add("p" + i);
      }
    }
    for (String key : keys) {
      cluster.put(key + " : { \"v\" : 1 }");
    }
    cluster.crash(a);
    for (String key : keys) {
      cluster.put(key + " : { \"v\" : 2 }");
    }
    cluster.crash(c); // a full resync could not finish now
    cluster.server(a).persistent(true);
    cluster.server(a).restart(false);
    cluster.recover(a);

    Await.until("b's hints replayed", () -> keys.stream().allMatch(k -> "{ \"v\" : 2 }".equals(text(a, k))));
    Await.until("a compared with b", () -> cluster.service.status().servers().get(0).catchingUp()
        && cluster.counter("hints_replayed") >= keys.size());
    String withC = keyOn(List.of(a, c), "ac");
    cluster.crash(b);
    for (String key : keys) {
      Await.until(key + " answered by a alone", () -> {
        try {
          return cluster.get(key).equals(new Outcome.Found(parser.parseRecord(key + " : { \"v\" : 2 }")));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
    assertThat(cluster.status(a).catchingUp()).as("c, down, may hold hints for it").isTrue();
    assertThat(cluster.get(withC)).isInstanceOf(Outcome.Unavailable.class);
    cluster.recover(c);
    cluster.awaitCaughtUp(a);
  }

  @Test
  void aPartlyResyncedServerIsTrustedForTheKeysItSharesWithTheServersItWasComparedWith() throws Exception {
    ServerAddress a = cluster.addresses.get(0);
    ServerAddress b = cluster.addresses.get(1);
    ServerAddress c = cluster.addresses.get(2);
    String withB = keyOn(List.of(a, b), "ab");
    String absentWithB = keyOn(List.of(a, b), "ab-absent");
    String withC = keyOn(List.of(a, c), "ac");
    cluster.put(withB + " : { \"v\" : 1 }");
    cluster.put(withC + " : { \"v\" : 1 }");

    cluster.crash(c);
    cluster.crash(a);
    cluster.server(a).restart(true);
    cluster.recover(a);
    Await.until("resync from " + b, () -> cluster.server(a).entry(withB) != null);
    assertThat(cluster.status(a).catchingUp()).isTrue();
    cluster.crash(b);

    // a was compared with b: it answers alone for their keys, a value or "not found".
    assertThat(cluster.get(withB)).isEqualTo(new Outcome.Found(parser.parseRecord(withB + " : { \"v\" : 1 }")));
    assertThat(cluster.get(absentWithB)).isEqualTo(new Outcome.NotFound(absentWithB));
    // ... but not for the keys it shares with c, which it could not be compared with.
    assertThat(cluster.get(withC)).isInstanceOf(Outcome.Unavailable.class);
  }

  private String keyOn(List<ServerAddress> servers, String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + i;
      if (cluster.replicas(key).containsAll(servers)) {
        return key;
      }
    }
  }

  @Test
  void aResyncCopiesOnlyWhatIsMissingOrOlder() throws Exception {
    ServerAddress target = cluster.addresses.get(2);
    List<String> keys = keysOn(target, 50, "r");
    for (String key : keys) {
      for (ServerAddress replica : cluster.replicas(key)) {
        cluster.server(replica).store(key, 1000, "{ \"v\" : 1 }");
      }
    }
    cluster.crash(target);
    // While down (and unknown to this broker): 2 keys got newer on their other replica, 3 were
    // lost by the target; then it restarts (new instance id, the rest of its data kept).
    FakeServer t = cluster.server(target);
    for (int i = 0; i < 5; i++) {
      String key = keys.get(i);
      if (i < 2) {
        ServerAddress peer = cluster.replicas(key).stream().filter(a -> !a.equals(target)).findFirst().orElseThrow();
        cluster.server(peer).store(key, 2000, "{ \"v\" : 2 }");
      } else {
        t.forget(key);
      }
    }
    t.restart(false);
    int before = t.count("VPUT") + t.count("VDEL");
    cluster.recover(target);
    cluster.awaitCaughtUp(target);
    for (int i = 0; i < 5; i++) {
      assertThat(text(target, keys.get(i))).isEqualTo(i < 2 ? "{ \"v\" : 2 }" : "{ \"v\" : 1 }");
    }
    assertThat(t.count("VPUT") + t.count("VDEL") - before).isEqualTo(5);
  }

  @Test
  void aDeletedKeyDoesNotComeBackThroughAResync() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("gone");
    cluster.put("gone : { \"v\" : 1 }");
    assertThat(cluster.delete("gone")).isEqualTo(new Outcome.Deleted("gone"));
    ServerAddress wiped = replicas.get(1);
    cluster.crash(wiped);
    cluster.server(wiped).restart(true);
    cluster.recover(wiped);
    cluster.awaitCaughtUp(wiped);
    assertThat(cluster.server(wiped).entry("gone")).isNotNull();
    assertThat(text(wiped, "gone")).isNull();
    cluster.crash(replicas.get(0));
    assertThat(cluster.get("gone")).isEqualTo(new Outcome.NotFound("gone"));
  }

  /** Issue 12, scenario 8: a peer that fails while the resync copies from it is named as the one that failed. */
  @Test
  void aFailureOnThePeersSideOfAResyncIsReportedAsThePeers() throws Exception {
    ServerAddress target = cluster.addresses.get(0);
    String key = keysOn(target, 1, "p").get(0);
    ServerAddress peer = cluster.replicas(key).stream().filter(a -> !a.equals(target)).findFirst().orElseThrow();
    cluster.put(key + " : { \"v\" : 1 }");
    cluster.crash(target);
    cluster.server(target).restart(true);
    cluster.server(peer).failWith("VGET", "ERR peer trouble");
    cluster.server(peer).failWith("VENTRIES", "ERR peer trouble");
    try (LogCapture log = new LogCapture("kv.broker.catchup")) {
      cluster.recover(target);
      Await.until("the resync's failure logged", () -> log.messages().stream().anyMatch(m -> m.contains("peer trouble")));
      List<String> lines = log.messages().stream().filter(m -> m.contains("peer trouble")).toList();
      assertThat(lines).allMatch(m -> m.contains(peer.toString()) && !m.contains("target " + target + " failed"),
          "names " + peer + " as the server that failed");
    }
    cluster.server(peer).failWith("VGET", null);
    cluster.server(peer).failWith("VENTRIES", null);
    cluster.awaitCaughtUp(target);
    assertThat(text(target, key)).isEqualTo("{ \"v\" : 1 }");
  }

  @Test
  void statusShowsCatchingUpAndFreshRecordCounts() throws Exception {
    cluster.put("a : { \"x\" : 1 }");
    cluster.service.refreshStatus();
    assertThat(cluster.service.status().servers().stream().mapToLong(ServerStatus::records).sum()).isEqualTo(2);
    assertThat(cluster.service.status().servers()).noneMatch(ServerStatus::catchingUp);
  }
}
