package kv.broker.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.KeyScan;
import kv.broker.transport.Server;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

/** When the live servers cover every key: down, failed during a request, catching up, trusted for some. */
class KeyCoverageTest {

  /** A server as the coverage sees it; a catching-up one is trusted for replica sets within {@code verified} + itself. */
  private record Link(ServerAddress address, boolean isUp, boolean catchingUp, Set<ServerAddress> verified)
      implements Server {
    @Override
    public boolean trustedFor(List<ServerAddress> replicas) {
      return !catchingUp || replicas.stream().allMatch(r -> r.equals(address) || verified.contains(r));
    }

    @Override
    public CompletableFuture<Resp> send(List<byte[]> args) {
      throw new UnsupportedOperationException();
    }
  }

  private static ServerAddress at(int port) {
    return new ServerAddress("127.0.0.1", port);
  }

  private static Link up(int port) {
    return new Link(at(port), true, false, Set.of());
  }

  private static Link down(int port) {
    return new Link(at(port), false, false, Set.of());
  }

  private static Link catchingUp(int port, ServerAddress... verified) {
    return new Link(at(port), true, true, Set.of(verified));
  }

  @Test
  void fewerThanKServersDownCoverEveryKey() {
    assertThat(KeyCoverage.check(List.of(up(1), up(2), up(3)), Set.of(), 2)).isNull();
    assertThat(KeyCoverage.check(List.of(down(1), up(2), up(3)), Set.of(), 2)).isNull();
    assertThat(KeyCoverage.check(List.of(down(1), down(2), up(3), up(4)), Set.of(), 3)).isNull();
  }

  @Test
  void kServersDownOrFailedMayHideKeys() {
    assertThat(KeyCoverage.check(List.of(down(1), down(2), up(3)), Set.of(), 2))
        .isEqualTo(new KeyScan.Incomplete(2, List.of("127.0.0.1:1", "127.0.0.1:2"), List.of()));
    assertThat(KeyCoverage.check(List.of(down(1), up(2), up(3)), Set.of(at(3)), 2))
        .isEqualTo(new KeyScan.Incomplete(2, List.of("127.0.0.1:1", "127.0.0.1:3"), List.of()));
    assertThat(KeyCoverage.check(List.of(down(1), up(2)), Set.of(), 1)).isNotNull();
  }

  @Test
  void aCatchingUpServerCountsOnlyForTheReplicaSetsItWasComparedOn() {
    // 1 is down and 2, catching up, has not been compared with 1: keys on {1, 2} could be missing.
    assertThat(KeyCoverage.check(List.of(down(1), catchingUp(2), up(3)), Set.of(), 2))
        .isEqualTo(new KeyScan.Incomplete(2, List.of("127.0.0.1:1"), List.of("127.0.0.1:2")));
    // Two catching up, each compared with the other: every pair has a trusted member.
    assertThat(KeyCoverage.check(List.of(catchingUp(1, at(2)), catchingUp(2, at(1)), up(3)), Set.of(), 2)).isNull();
    // With k = 1 a catching-up server is trusted for its own keys.
    assertThat(KeyCoverage.check(List.of(catchingUp(1), up(2)), Set.of(), 1)).isNull();
    // One catching up alone is fewer than k.
    assertThat(KeyCoverage.check(List.of(catchingUp(1), up(2), up(3)), Set.of(), 2)).isNull();
  }
}
