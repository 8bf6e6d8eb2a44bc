package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import kv.clock.HybridLogicalClock;
import kv.record.AppendEntry;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Replicas that receive the same versioned writes and appends (VPUT, VDEL, VAPPEND), in any order
 * and with replays, read the same value for every key, and that value is the base write with the
 * newest version followed by the appends newer than it, in version order.
 */
class AppendConvergenceProperties {
  private static final List<String> KEYS = List.of("a", "ab", "b");
  private static final List<List<String>> PATHS = List.of(List.of(), List.of("tags"), List.of("tags", "0"));

  /** kind: 0 PUT a list, 1 PUT a set, 2 PUT a string, 3 DELETE, 4+ APPEND at path. */
  record Write(String key, long version, int kind, List<String> path) {
    boolean isAppend() {
      return kind >= 4;
    }

    Value value() {
      return switch (kind) {
        case 0 -> new ListValue(List.of(new IntValue(version)));
        case 1 -> SetValue.builder().put("tags", new ListValue(List.of(new ListValue(List.of())))).build();
        case 2 -> new StringValue("s" + version);
        case 3 -> null;
        default -> new IntValue(version);
      };
    }
  }

  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<Write> write = Combinators.combine(Arbitraries.of(KEYS), Arbitraries.longs().between(1, 60),
        Arbitraries.integers().between(0, 9), Arbitraries.of(PATHS)).as(Write::new);
    return write.list().ofMaxSize(50).map(list -> {
      List<Write> unique = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Write w : list) {
        if (seen.add(w.key() + "/" + w.version())) { // a writer's HLC makes versions unique per write
          unique.add(w);
        }
      }
      return unique;
    });
  }

  @Property(tries = 500)
  void anyOrderWithReplaysConvergesToTheModel(@ForAll("writes") List<Write> writes, @ForAll long seed) {
    Store inOrder = apply(writes);
    List<Write> shuffled = new ArrayList<>(writes);
    shuffled.addAll(writes.subList(0, writes.size() / 2)); // replays
    Collections.shuffle(shuffled, new Random(seed));
    Store anyOrder = apply(shuffled);

    for (String key : KEYS) {
      assertThat(anyOrder.read(key)).as(key).isEqualTo(inOrder.read(key));
      assertThat(anyOrder.entry(key)).as(key).isEqualTo(inOrder.entry(key));
      assertThat(keysOf(anyOrder.stored(key))).isEqualTo(keysOf(inOrder.stored(key)));
      assertThat(inOrder.get(key)).as("%s after %s", key, writes).isEqualTo(model(writes, key));
    }
    assertThat(anyOrder.liveCount()).isEqualTo(inOrder.liveCount());
    assertThat(anyOrder.tombstoneCount()).isEqualTo(inOrder.tombstoneCount());
    assertThat(anyOrder.appendCount()).isEqualTo(inOrder.appendCount());
  }

  private static List<String> keysOf(List<Map.Entry<String, Entry>> entries) {
    return entries.stream().map(Map.Entry::getKey).toList();
  }

  private static Value model(List<Write> writes, String key) {
    Write base = writes.stream().filter(w -> w.key().equals(key) && !w.isAppend())
        .max(Comparator.comparingLong(Write::version)).orElse(null);
    long baseVersion = base == null ? -1 : base.version();
    List<AppendEntry> appends = writes.stream()
        .filter(w -> w.key().equals(key) && w.isAppend() && w.version() > baseVersion)
        .sorted(Comparator.comparingLong(Write::version))
        .map(w -> new AppendEntry(w.path(), w.value())).toList();
    return AppendMerge.merge(base == null ? null : base.value(), appends);
  }

  private static Store apply(List<Write> writes) {
    Store store = new Store(new HybridLogicalClock(1));
    for (Write w : writes) {
      if (w.isAppend()) {
        store.applyAppend(w.key(), w.version(), new AppendEntry(w.path(), w.value()));
      } else {
        store.apply(w.key(), w.version(), w.value());
      }
    }
    return store;
  }
}
