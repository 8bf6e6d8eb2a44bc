package kv.server.durable;

import static kv.server.durable.DurableLogTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import kv.record.SetValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random write sequences with restarts and compactions in between replay to what a plain map holds. */
class DurableLogPropertyTest {
  sealed interface Op permits Write, Reopen, Compact {}

  /** A PUT (value) or DELETE (null) with a version that may be stale. */
  record Write(String key, long version, SetValue value) implements Op {}

  record Reopen() implements Op {}

  record Compact() implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("person1", "person2", "person3", "", "ü ber"),
        Values.strings());
    Arbitrary<SetValue> valueOrTombstone = Values.sets(2).injectNull(0.25);
    Arbitrary<Op> write = Combinators.combine(keys, Arbitraries.longs().between(1, 40), valueOrTombstone)
        .as(Write::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, write),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(new Reopen())),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(new Compact()))).list().ofMaxSize(40);
  }

  @Property(tries = 120)
  void replayEqualsTheModel(@ForAll("ops") List<Op> ops) throws Exception {
    Path dir = Files.createTempDirectory("durable-prop");
    Map<String, String> model = new TreeMap<>();
    Map<String, Long> modelVersions = new TreeMap<>();
    try {
      TestStore store = new TestStore();
      DurableLog log = DurableLog.open(config(dir).withCompactMinBytes(512), store, store);
      try {
        for (Op op : ops) {
          if (op instanceof Write w) {
            Long current = modelVersions.get(w.key());
            if (current == null || current < w.version()) {
              modelVersions.put(w.key(), w.version());
              model.put(w.key(), TestStore.describe(w.version(), w.value()));
            }
            store.write(log, w.key(), w.version(), w.value());
          } else if (op instanceof Compact) {
            log.compact().get();
          } else {
            log.close();
            store = new TestStore();
            log = DurableLog.open(config(dir).withCompactMinBytes(512), store, store);
            assertThat(store.contents()).isEqualTo(model);
          }
        }
      } finally {
        log.close();
      }
      TestStore replayed = new TestStore();
      DurableLog.open(config(dir), replayed, replayed).close();
      assertThat(replayed.contents()).isEqualTo(model);
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
