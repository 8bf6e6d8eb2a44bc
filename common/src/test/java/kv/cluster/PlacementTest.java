package kv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PlacementTest {

  private static List<ServerAddress> servers(int n) {
    List<ServerAddress> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new ServerAddress("127.0.0.1", 9001 + i));
    }
    return list;
  }

  @Property(tries = 200)
  void replicasAreKDistinctServersAndDoNotDependOnTheServerFileOrder(
      @ForAll String key, @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 8) int kWish,
      @ForAll long shuffleSeed) {
    int k = Math.min(kWish, n);
    List<ServerAddress> servers = servers(n);
    List<ServerAddress> shuffled = new ArrayList<>(servers);
    Collections.shuffle(shuffled, new Random(shuffleSeed));

    List<ServerAddress> replicas = new Placement(servers, k).replicas(key);

    assertThat(replicas).hasSize(k).doesNotHaveDuplicates();
    assertThat(servers).containsAll(replicas);
    assertThat(new Placement(shuffled, k).replicas(key)).isEqualTo(replicas);
    assertThat(new Placement(servers, k).replicas(key)).isEqualTo(replicas);
  }

  @Test
  void theFirstReplicasForKAreThoseForSmallerK() {
    List<ServerAddress> servers = servers(5);
    for (int i = 0; i < 1000; i++) {
      String key = "person" + i;
      List<ServerAddress> three = new Placement(servers, 3).replicas(key);
      assertThat(new Placement(servers, 2).replicas(key)).isEqualTo(three.subList(0, 2));
    }
  }

  @Test
  void keysSpreadEvenlyOverTheServers() {
    int n = 5;
    int keys = 100_000;
    Placement placement = new Placement(servers(n), 1);
    Map<ServerAddress, Integer> counts = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      counts.merge(placement.replicas("person" + i).get(0), 1, Integer::sum);
    }
    assertThat(counts).hasSize(n);
    // Expected 20000 each; a binomial standard deviation is ~126, so 1000 is far outside chance.
    for (int count : counts.values()) {
      assertThat(count).isBetween(keys / n - 1000, keys / n + 1000);
    }
  }

  @Test
  void addingAServerMovesAboutOneInNPlusOneKeysAndOnlyToTheNewServer() {
    int n = 5;
    int keys = 60_000;
    List<ServerAddress> before = servers(n);
    List<ServerAddress> after = servers(n + 1);
    ServerAddress added = after.get(n);
    for (int k = 1; k <= 2; k++) {
      Placement old = new Placement(before, k);
      Placement now = new Placement(after, k);
      int moved = 0;
      for (int i = 0; i < keys; i++) {
        String key = "key-" + i;
        Set<ServerAddress> was = new HashSet<>(old.replicas(key));
        Set<ServerAddress> is = new HashSet<>(now.replicas(key));
        if (!was.equals(is)) {
          moved++;
          // Only the new server takes a place: one old replica gives way to it.
          assertThat(is).contains(added);
          Set<ServerAddress> lost = new HashSet<>(was);
          lost.removeAll(is);
          assertThat(lost).hasSize(1);
        }
      }
      // The new server wins a place among the k best with probability k/(n+1).
      double expected = (double) k / (n + 1);
      assertThat((double) moved / keys).isBetween(expected - 0.02, expected + 0.02);
    }
  }

  @Test
  void rejectsKOutsideOneToN() {
    assertThatThrownBy(() -> new Placement(servers(3), 4)).hasMessage("k: 4 (expected: 1..3, the number of servers)");
    assertThatThrownBy(() -> new Placement(servers(3), 0)).hasMessageStartingWith("k: 0");
  }
}
