package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kv.clock.HybridLogicalClock;
import kv.record.IntValue;
import kv.record.SetValue;
import kv.record.StringValue;
import org.junit.jupiter.api.Test;

class StoreTest {
  private final long[] wall = {1_000};
  private final Store store = new Store(new HybridLogicalClock(7, () -> wall[0]));

  private static SetValue set(String name) {
    return SetValue.builder().put("name", new StringValue(name)).build();
  }

  @Test
  void putGetDeleteKeepCounters() {
    store.put("a", set("A"));
    store.put("b", set("B"));
    assertThat(store.get("a")).isEqualTo(set("A"));
    assertThat(store.liveCount()).isEqualTo(2);

    assertThat(store.delete("a")).isTrue();
    assertThat(store.delete("a")).isFalse();
    assertThat(store.delete("never")).isFalse();
    assertThat(store.get("a")).isNull();
    assertThat(store.entry("a").isLive()).isFalse();
    assertThat(store.entry("never")).isNull();
    assertThat(store.liveCount()).isEqualTo(1);
    assertThat(store.tombstoneCount()).isEqualTo(1);

    store.put("a", set("A2"));
    assertThat(store.get("a")).isEqualTo(set("A2"));
    assertThat(store.liveCount()).isEqualTo(2);
    assertThat(store.tombstoneCount()).isZero();
  }

  @Test
  void aReplayedVersionBeyondTheClockIsNotObservedAndAPlainWriteThatCannotReplaceItSaysSo() {
    Store bounded = new Store(new HybridLogicalClock(7, () -> wall[0], 60_000));
    long ahead = (wall[0] + 3_600_000L) << 20;
    bounded.replayEntry("far", ahead, set("from the future"));
    bounded.replayEntry("near", (wall[0] + 10) << 20, set("near"));
    assertThat(bounded.newestAheadAtReplay()).isEqualTo(ahead);
    assertThatThrownBy(() -> bounded.put("far", set("mine")))
        .isInstanceOf(CommandException.class)
        .hasMessageStartingWith("key 'far' holds version " + ahead + " from 1970-01-01T01:00:01Z, ahead of this"
            + " server's clock (")
        .hasMessageEndingWith("nothing was applied (expected: the clock to catch up, or a VPUT with a newer version)");
    assertThat(bounded.get("far")).isEqualTo(set("from the future"));
    // the clock was not carried an hour ahead: other keys get versions of the wall clock
    assertThat(HybridLogicalClock.millisOf(bounded.put("other", set("x")))).isLessThan(wall[0] + 1_000);
    assertThat(bounded.put("near", set("mine"))).isGreaterThan((wall[0] + 10) << 20);
  }

  @Test
  void versionedWritesApplyOnlyWhenNewer() {
    assertThat(store.apply("k", 100, set("v100"))).isTrue();
    assertThat(store.apply("k", 100, set("again"))).isFalse();
    assertThat(store.apply("k", 99, set("older"))).isFalse();
    assertThat(store.get("k")).isEqualTo(set("v100"));

    assertThat(store.apply("k", 50, null)).isFalse();
    assertThat(store.apply("k", 101, null)).isTrue();
    assertThat(store.get("k")).isNull();
    assertThat(store.entry("k").version()).isEqualTo(101);
    assertThat(store.apply("k", 100, set("stale resurrect"))).isFalse();
    assertThat(store.get("k")).isNull();
    assertThat(store.apply("k", 102, set("v102"))).isTrue();
    assertThat(store.get("k")).isEqualTo(set("v102"));
    assertThat(store.liveCount()).isEqualTo(1);
    assertThat(store.tombstoneCount()).isZero();
  }

  @Test
  void versionedDeleteOfUnknownKeyLeavesTombstone() {
    assertThat(store.apply("gone", 10, null)).isTrue();
    assertThat(store.entry("gone").version()).isEqualTo(10);
    assertThat(store.apply("gone", 9, set("late"))).isFalse();
    assertThat(store.tombstoneCount()).isEqualTo(1);
    assertThat(store.liveCount()).isZero();
  }

  @Test
  void plainWriteWinsOverReplicatedVersionsFromTheFuture() {
    // a replica's clock runs ahead of ours: a later plain PUT here must still win
    long ahead = (wall[0] + 60_000) << 20;
    assertThat(store.apply("k", ahead, set("replicated"))).isTrue();
    long version = store.put("k", set("plain"));
    assertThat(version).isGreaterThan(ahead);
    assertThat(store.get("k")).isEqualTo(set("plain"));
    assertThat(store.delete("k")).isTrue();
    assertThat(store.entry("k").version()).isGreaterThan(version);
  }

  @Test
  void scanWalksPrefixInOrderIncludingTombstones() {
    for (String k : List.of("p2", "p10", "p1", "q1", "p")) {
      store.put(k, SetValue.builder().put("n", new IntValue(k.length())).build());
    }
    store.delete("p10");
    List<String> keys = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> it = store.scan("p", "p1");
    it.forEachRemaining(e -> keys.add(e.getKey()));
    assertThat(keys).containsExactly("p10", "p2");
  }
}
