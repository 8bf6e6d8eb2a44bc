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

  /** Issue 12, scenario 5: two writers' equal versions (different values) in any order. */
  record Tied(String key, long version, int payload) {}

  @Provide
  Arbitrary<List<Tied>> tiedWrites() {
    // few versions, several payloads each (payload 0: a delete)
    return Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.longs().between(1, 4),
        Arbitraries.integers().between(0, 5)).as(Tied::new).list().ofMaxSize(30);
  }

  @Property(tries = 300)
  void equalVersionsSettleOnOneWinnerInAnyOrder(@ForAll("tiedWrites") List<Tied> writes, @ForAll long seed) {
    List<Tied> shuffled = new ArrayList<>(writes);
    shuffled.addAll(writes.subList(0, writes.size() / 2));
    Collections.shuffle(shuffled, new Random(seed));
    Store one = applyTied(writes);
    Store two = applyTied(shuffled);
    for (String key : List.of("a", "b")) {
      assertThat(two.entry(key)).isEqualTo(one.entry(key));
      Tied winner = null;
      for (Tied w : writes) {
        if (w.key().equals(key) && (winner == null || kv.clock.VersionOrder.compare(w.version(), text(w),
            winner.version(), text(winner)) > 0)) {
          winner = w;
        }
      }
      if (winner != null) {
        assertThat(one.entry(key).version()).isEqualTo(winner.version());
        assertThat(one.entry(key).value() == null ? null : kv.record.RecordPrinter.print(one.entry(key).value()))
            .isEqualTo(text(winner));
      }
    }
  }

  private static String text(Tied w) {
    return w.payload() == 0 ? null : kv.record.RecordPrinter.print(value(w));
  }

  private static SetValue value(Tied w) {
    return SetValue.builder().put("p", new IntValue(w.payload())).build();
  }

  private static Store applyTied(List<Tied> writes) {
    Store store = new Store(new HybridLogicalClock(1));
    for (Tied w : writes) {
      store.apply(w.key(), w.version(), w.payload() == 0 ? null : value(w));
    }
    return store;
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
