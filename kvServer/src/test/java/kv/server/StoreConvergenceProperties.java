package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import kv.clock.HybridLogicalClock;
import kv.record.IntValue;
import kv.record.SetValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Replicas that receive the same versioned writes in any order, with replays, end up equal. */
class StoreConvergenceProperties {

  record Write(String key, long version, boolean delete) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<Write> write = Combinators.combine(
        Arbitraries.of("a", "b", "ab", "abc", "b0"),
        Arbitraries.longs().between(1, 40),
        Arbitraries.integers().between(0, 3).map(i -> i == 0))
        .as(Write::new);
    // one write per (key, version): the writer's HLC makes versions unique per write
    return write.list().ofMaxSize(60).map(list -> {
      List<Write> unique = new ArrayList<>();
      for (Write w : list) {
        if (unique.stream().noneMatch(u -> u.key().equals(w.key()) && u.version() == w.version())) {
          unique.add(w);
        }
      }
      return unique;
    });
  }

  @Property(tries = 300)
  void anyOrderWithReplaysConverges(@ForAll("writes") List<Write> writes, @ForAll long seed) {
    Store inOrder = apply(writes);
    List<Write> shuffled = new ArrayList<>(writes);
    shuffled.addAll(writes.subList(0, writes.size() / 2)); // replays
    Collections.shuffle(shuffled, new Random(seed));
    Store anyOrder = apply(shuffled);

    for (String key : List.of("a", "b", "ab", "abc", "b0")) {
      Write newest = writes.stream().filter(w -> w.key().equals(key))
          .max((x, y) -> Long.compare(x.version(), y.version())).orElse(null);
      Entry e1 = inOrder.entry(key);
      Entry e2 = anyOrder.entry(key);
      assertThat(e2).isEqualTo(e1);
      if (newest == null) {
        assertThat(e1).isNull();
      } else {
        assertThat(e1.version()).isEqualTo(newest.version());
        assertThat(e1.isLive()).isEqualTo(!newest.delete());
      }
    }
    assertThat(anyOrder.liveCount()).isEqualTo(inOrder.liveCount());
    assertThat(anyOrder.tombstoneCount()).isEqualTo(inOrder.tombstoneCount());
  }

  private static Store apply(List<Write> writes) {
    Store store = new Store(new HybridLogicalClock(1));
    for (Write w : writes) {
      SetValue value = w.delete() ? null : SetValue.builder().put("v", new IntValue(w.version())).build();
      store.apply(w.key(), w.version(), value);
    }
    return store;
  }
}
