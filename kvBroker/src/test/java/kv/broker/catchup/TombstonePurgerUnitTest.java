package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import kv.broker.testing.Await;
import kv.broker.testing.FakeServer;
import kv.broker.transport.Server;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The purger's own checks when its timer fires: a hint of the key on any server, a server down, a
 * replica catching up or restarted since the delete, the bound.
 */
class TombstonePurgerUnitTest {
  /** A replica whose up and catching-up states the test sets; requests go straight to a FakeServer. */
  private static final class Replica implements Server {
    final FakeServer server = new FakeServer();
    final ServerAddress address;
    volatile boolean catchingUp;
    volatile boolean up = true;

    Replica(int n) {
      address = new ServerAddress("10.0.0." + n, 9000);
    }

    @Override
    public ServerAddress address() {
      return address;
    }

    @Override
    public boolean isUp() {
      return up;
    }

    @Override
    public String instanceId() {
      return server.instanceId();
    }

    @Override
    public boolean catchingUp() {
      return catchingUp;
    }

    @Override
    public CompletableFuture<Resp> send(List<byte[]> args) {
      return CompletableFuture.completedFuture(server.handle(args));
    }
  }

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Replica r1 = new Replica(1);
  private final Replica r2 = new Replica(2);
  /** Not a replica of the keys: a server the key may have left, holding a hint or a copy. */
  private final Replica other = new Replica(3);
  private final TombstonePurger purger = new TombstonePurger(Duration.ofMillis(50), scheduler, 2);

  {
    purger.bind(List.of(r1, r2, other));
  }

  @AfterEach
  void close() {
    purger.close();
    scheduler.shutdownNow();
  }

  private void tombstone(String key, long version) {
    r1.server.store(key, version, null);
    r2.server.store(key, version, null);
    purger.deleted(key, version, List.of(r1, r2));
  }

  @Test
  void purgesWhenNothingStandsInTheWay() {
    tombstone("a", 10);
    Await.until("a purged", () -> r1.server.entry("a") == null && r2.server.entry("a") == null);
    Await.until("counted", () -> purger.purged() == 2);
  }

  @Test
  void aHintOfTheKeyOnAnyServerKeepsTheTombstone() {
    other.server.handle(List.of("VHINT".getBytes(), "a".getBytes(), "5".getBytes(), "10.0.0.2:9000".getBytes()));
    tombstone("a", 10);
    tombstone("b", 10);
    Await.until("b purged", () -> r1.server.entry("b") == null && r2.server.entry("b") == null);
    Await.until("a's timer fired", () -> purger.pending() == 0);
    assertThat(r1.server.entry("a")).isEqualTo(new FakeServer.Entry(10, null));
    assertThat(r1.server.count("VPURGE") + r2.server.count("VPURGE")).isEqualTo(2);
  }

  @Test
  void aServerDownKeepsTheTombstone() throws Exception {
    other.up = false; // it may hold a hint or a copy of the key
    tombstone("a", 10);
    Await.until("a's timer fired", () -> purger.pending() == 0);
    scheduler.submit(() -> { }).get();
    assertThat(r1.server.count("VPURGE") + r2.server.count("VPURGE")).isZero();
  }

  /** Issue 12, scenario 3: the instance each replica had at the delete is recorded; a restart since keeps the tombstone. */
  @Test
  void aReplicaThatRestartedSinceTheDeleteKeepsTheTombstone() throws Exception {
    tombstone("a", 10);
    r2.server.restart(false);
    Await.until("a's timer fired", () -> purger.pending() == 0);
    scheduler.submit(() -> { }).get();
    assertThat(r1.server.count("VPURGE") + r2.server.count("VPURGE")).isZero();
    assertThat(r1.server.entry("a")).isEqualTo(new FakeServer.Entry(10, null));
  }

  @Test
  void aReplicaCatchingUpKeepsTheTombstone() throws Exception {
    r2.catchingUp = true;
    tombstone("a", 10);
    Await.until("a's timer fired", () -> purger.pending() == 0);
    scheduler.submit(() -> { }).get(); // the timer's task (on the one scheduler thread) has ended
    assertThat(r1.server.count("VPURGE") + r2.server.count("VPURGE")).isZero();
    assertThat(r2.server.entry("a")).isEqualTo(new FakeServer.Entry(10, null));
  }

  @Test
  void pastTheBoundLaterDeletesKeepTheirTombstones() {
    TombstonePurger slow = new TombstonePurger(Duration.ofHours(1), scheduler, 2);
    try {
      slow.deleted("a", 10, List.of(r1, r2));
      slow.deleted("b", 10, List.of(r1, r2));
      slow.deleted("c", 10, List.of(r1, r2));
      assertThat(slow.pending()).isEqualTo(2);
      slow.deleted("a", 11, List.of(r1, r2)); // a key already pending is replaced, not refused
      assertThat(slow.pending()).isEqualTo(2);
      slow.written("a");
      assertThat(slow.pending()).isEqualTo(1);
    } finally {
      slow.close();
    }
    assertThat(slow.pending()).isZero();
  }
}
