package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, scenarios 1, 7 and 8: a write acknowledged with a replica down reaches that replica
 * without depending on the broker that took it; a server that cannot write its log is routed
 * around for writes; a hint the server rejects is kept. Three persistent servers, k = 2.
 */
class DurableHintsTest {
  private static final String V1 = "{ \"name\" : \"Anna\" }";
  private static final String V2 = "{ \"name\" : \"Anna\" ; \"age\" : 30 }";

  private final FakeCluster cluster = new FakeCluster(3, 2);
  private final RecordParser parser = new RecordParser();
  private EventualEngine second;
  private ServerAddress first;
  private ServerAddress other;

  @BeforeEach
  void persistentServers() {
    cluster.addresses.forEach(a -> cluster.server(a).persistent(true));
    first = cluster.replicas("person9").get(0);
    other = cluster.replicas("person9").get(1);
  }

  @AfterEach
  void close() {
    if (second != null) {
      second.close();
    }
    cluster.close();
  }

  private static Outcome get(EventualEngine broker, String key) throws Exception {
    return broker.get(key).get(5, TimeUnit.SECONDS);
  }

  private static ServerStatus status(EventualEngine broker, ServerAddress address) {
    return broker.status().servers().stream().filter(s -> s.address().equals(address.toString())).findFirst()
        .orElseThrow();
  }

  private String text(ServerAddress server, String key) {
    FakeServer.Entry e = cluster.server(server).entry(key);
    return e == null ? null : e.text();
  }

  /** Scenario 1: the broker that took the write exits (-c, a script, SIGKILL) before the replica is back. */
  @Test
  void aWriteAcknowledgedWithAReplicaDownReachesItAfterTheBrokerThatTookItIsGone() throws Exception {
    cluster.put("person9 : " + V1);
    cluster.crash(other);
    assertThat(cluster.put("person9 : " + V2)).isEqualTo(new Outcome.Written("person9", 1, 2));
    cluster.service.close(); // whatever it held in memory is gone

    cluster.server(other).restart(false); // back with its data intact, without the write
    cluster.network.heal(other);
    second = cluster.startBroker(2);
    Await.until(other + " caught up for the new broker",
        () -> status(second, other).up() && !status(second, other).catchingUp());
    assertThat(text(other, "person9")).isEqualTo(V2);

    cluster.network.refuse(first);
    Await.until(first + " DOWN for the new broker", () -> !status(second, first).up());
    assertThat(get(second, "person9")).isEqualTo(new Outcome.Found(parser.parseRecord("person9 : " + V2)));
  }

  /**
   * Scenario 1, the trust rule: a returning server is not believed for a key before it has been
   * compared with the key's other replicas; with them down the answer is a warning, never the old
   * value.
   */
  @Test
  void aReturningServerIsNotTrustedForAKeyBeforeItWasComparedWithItsOtherReplicas() throws Exception {
    cluster.put("person9 : " + V1);
    cluster.crash(other);
    cluster.put("person9 : " + V2);
    cluster.service.close();

    cluster.network.refuse(first); // the only other replica is down before the returning one is back
    cluster.server(other).restart(false);
    cluster.network.heal(other);
    second = cluster.startBroker(2);
    Await.until(other + " UP for the new broker", () -> status(second, other).up());

    Outcome outcome = get(second, "person9");
    assertThat(outcome).isNotEqualTo(new Outcome.Found(parser.parseRecord("person9 : " + V1)));
    assertThat(outcome).isInstanceOf(Outcome.Unavailable.class);
  }

  /** The same with the broker that took the write still running: it replays its hint itself. */
  @Test
  void withTheBrokerStillRunningTheReturningServerGetsTheWriteBeforeItIsTrusted() throws Exception {
    cluster.put("person9 : " + V1);
    cluster.crash(other);
    cluster.put("person9 : " + V2);
    cluster.server(other).restart(false);
    cluster.recover(other);
    cluster.awaitCaughtUp(other);
    assertThat(text(other, "person9")).isEqualTo(V2);
    cluster.crash(first);
    assertThat(cluster.get("person9")).isEqualTo(new Outcome.Found(parser.parseRecord("person9 : " + V2)));
  }

  /**
   * Found by the simulation (seed 168): a server that came back empty (a new server, or a wiped
   * one) and took a few writes before any broker compared it must still be resynced in full by the
   * next broker, which cannot tell it from a server that kept its data but for the server's own
   * word (INFO resynced:0 until a broker completed a full resync into its data directory).
   */
  @Test
  void aServerNeverResyncedInFullIsResyncedByTheNextBrokerEvenWithSomeRecords() throws Exception {
    cluster.put("person9 : " + V1);
    cluster.crash(other);
    cluster.server(other).restart(true); // wiped
    cluster.service.close(); // the broker that would have resynced it is gone
    cluster.server(other).store("someone", 5, "{ \"v\" : 1 }"); // a write it took meanwhile
    cluster.network.heal(other);

    second = cluster.startBroker(2);
    Await.until(other + " caught up for the new broker",
        () -> status(second, other).up() && !status(second, other).catchingUp());
    assertThat(text(other, "person9")).isEqualTo(V1);
    cluster.network.refuse(first);
    Await.until(first + " DOWN for the new broker", () -> !status(second, first).up());
    assertThat(get(second, "person9")).isEqualTo(new Outcome.Found(parser.parseRecord("person9 : " + V1)));
  }

  /** Scenario 7: UP but unable to log (a full disk): writes go around it with a hint, reads still ask it. */
  @Test
  void aServerThatCannotWriteItsLogIsRoutedAroundForWritesAndGetsThemWhenItCanAgain() throws Exception {
    cluster.put("person9 : " + V1);
    FakeServer full = cluster.server(other);
    full.logUnwritable(true);
    Await.until(other + " seen as unable to log", () -> {
      try {
        return cluster.put("person9 : " + V2).equals(new Outcome.Written("person9", 1, 2));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(text(other, "person9")).isEqualTo(V1);
    assertThat(cluster.status(other).up()).as("still UP: it serves reads").isTrue();
    int readsBefore = full.count("VGET");
    cluster.get("person9");
    assertThat(full.count("VGET")).isGreaterThan(readsBefore);

    full.logUnwritable(false);
    Await.until("the write replayed once it can log", () -> V2.equals(text(other, "person9")));
    cluster.awaitCaughtUp(other);
  }

  /**
   * Found by the simulation (seed 315): the disks of a key's replicas filled between two INFOs, so
   * the broker still sent the tombstone to both, and both refused it for their log. That DELETE
   * did nothing: it must not say it did.
   */
  @Test
  void aDeleteTheReplicasRefuseForTheirLogIsNotReportedDone() throws Exception {
    cluster.put("person9 : " + V1);
    for (ServerAddress replica : cluster.replicas("person9")) {
      cluster.server(replica).failWith("VDEL", "ERR write refused: the log cannot be written (No space left on device"
          + " in ./data); nothing was applied");
    }
    Outcome deleted = cluster.delete("person9");
    assertThat(deleted).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) deleted).message()).contains("reached 0 of 2").contains("write refused");
    for (ServerAddress replica : cluster.replicas("person9")) {
      cluster.server(replica).failWith("VDEL", null);
    }
    assertThat(cluster.get("person9")).isEqualTo(new Outcome.Found(parser.parseRecord("person9 : " + V1)));
  }

  /** Scenario 8: a hint the server answers with an error is kept (and reported), not dropped. */
  @Test
  void aHintTheServerRejectsIsKeptUntilItIsAccepted() throws Exception {
    cluster.put("person9 : " + V1);
    cluster.crash(other);
    cluster.put("person9 : " + V2);
    FakeServer returning = cluster.server(other);
    returning.failWith("VPUT", "ERR something went wrong");
    cluster.recover(other);
    Await.until("the replay was tried", () -> returning.count("VPUT") > 0);
    assertThat(cluster.status(other).catchingUp()).as("not caught up while a hint is refused").isTrue();
    assertThat(text(other, "person9")).isEqualTo(V1);

    returning.failWith("VPUT", null);
    Await.until("the kept hint replayed", () -> V2.equals(text(other, "person9")));
    cluster.awaitCaughtUp(other);
    List<ServerAddress> replicas = cluster.replicas("person9");
    assertThat(replicas).contains(other);
  }
}
