package kv.trie;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Random operation sequences on a RadixTrie and a TreeMap must give the same answers. */
class RadixTrieModelTest {

  sealed interface Op permits Put, Remove, Compute, Get, Scan, Snapshot {}

  record Put(String key, int value) implements Op {}

  record Remove(String key) implements Op {}

  /** mode 0: add value (insert when absent); 1: remove; 2: toggle (insert when absent, else remove). */
  record Compute(String key, int mode, int value) implements Op {}

  record Get(String key) implements Op {}

  /** Prefix iteration after a key (null: from the start); prefix "" is the full iteration. */
  record Scan(String prefix, String after) implements Op {}

  /** Opens a scan now, takes its first entry now and the rest after all later operations. */
  record Snapshot(String prefix, String after) implements Op {}

  @Property(tries = 600)
  void behavesLikeATreeMap(@ForAll("operations") List<Op> ops) {
    RadixTrie<Integer> trie = new RadixTrie<>();
    TreeMap<String, Integer> model = new TreeMap<>();
    List<Iterator<Map.Entry<String, Integer>>> openIterators = new ArrayList<>();
    List<List<Map.Entry<String, Integer>>> expectedRests = new ArrayList<>();
    for (Op op : ops) {
      if (op instanceof Put put) {
        assertThat(trie.put(put.key(), put.value())).as("%s", op).isEqualTo(model.put(put.key(), put.value()));
      } else if (op instanceof Remove remove) {
        assertThat(trie.remove(remove.key())).as("%s", op).isEqualTo(model.remove(remove.key()));
      } else if (op instanceof Compute compute) {
        BiFunction<String, Integer, Integer> fn = remapping(compute);
        assertThat(trie.compute(compute.key(), fn)).as("%s", op).isEqualTo(model.compute(compute.key(), fn));
      } else if (op instanceof Get get) {
        assertThat(trie.get(get.key())).as("%s", op).isEqualTo(model.get(get.key()));
      } else if (op instanceof Scan scan) {
        assertThat(drain(trie.prefixIterator(scan.prefix(), scan.after())))
            .as("%s over %s", op, model).containsExactlyElementsOf(expected(model, scan.prefix(), scan.after()));
      } else if (op instanceof Snapshot snapshot) {
        Iterator<Map.Entry<String, Integer>> it = trie.prefixIterator(snapshot.prefix(), snapshot.after());
        List<Map.Entry<String, Integer>> expected = expected(model, snapshot.prefix(), snapshot.after());
        assertThat(it.hasNext()).as("%s", op).isEqualTo(!expected.isEmpty());
        if (!expected.isEmpty()) {
          assertThat(it.next()).isEqualTo(expected.get(0));
          expected = expected.subList(1, expected.size());
        }
        openIterators.add(it);
        expectedRests.add(expected);
      }
      assertThat(trie.size()).as("size after %s", op).isEqualTo(model.size());
      checkCompact(rootOf(trie), true);
    }
    assertThat(drain(trie.iterator())).containsExactlyElementsOf(model.entrySet());
    for (int i = 0; i < openIterators.size(); i++) {
      assertThat(drain(openIterators.get(i))).as("snapshot %d", i).containsExactlyElementsOf(expectedRests.get(i));
    }
  }

  /**
   * The layout invariants the memory bound rests on: children strictly ordered by first char,
   * non-root labels non-empty, and every non-root node holds a value or has two children; a
   * one-char leaf is stored bare (its value in the parent's slot), never as a node.
   */
  private static void checkCompact(Node<Integer> node, boolean isRoot) {
    if (isRoot) {
      assertThat(node.labelLength()).isZero();
    } else {
      assertThat(node.labelLength()).isPositive();
      assertThat(node.value != null || node.children.length >= 2)
          .as("node '%s' has a value or two children", new String(node.chars, 0, node.labelLength())).isTrue();
    }
    for (int i = 0; i < node.children.length; i++) {
      if (i > 0) {
        assertThat(node.child(i).chars[0]).isGreaterThan(node.child(i - 1).chars[0]);
      }
      assertThat(node.chars[node.labelLength() + i]).as("first char of child %d", i)
          .isEqualTo(node.child(i).chars[0]);
      if (node.children[i] instanceof Node<?> child) {
        assertThat(child.children.length == 0 && child.labelLength() == 1)
            .as("child %d is a one-char leaf kept as a node", i).isFalse();
      }
      checkCompact(node.child(i), false);
    }
  }

  @SuppressWarnings("unchecked")
  private static Node<Integer> rootOf(RadixTrie<Integer> trie) {
    try {
      Field root = RadixTrie.class.getDeclaredField("root");
      root.setAccessible(true);
      return (Node<Integer>) root.get(trie);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("RadixTrie.root not readable", e);
    }
  }

  private static BiFunction<String, Integer, Integer> remapping(Compute compute) {
    if (compute.mode() == 0) {
      return (k, v) -> v == null ? compute.value() : v + compute.value();
    }
    if (compute.mode() == 1) {
      return (k, v) -> null;
    }
    return (k, v) -> v == null ? compute.value() : null;
  }

  private static List<Map.Entry<String, Integer>> expected(TreeMap<String, Integer> model, String prefix, String after) {
    List<Map.Entry<String, Integer>> list = new ArrayList<>();
    for (Map.Entry<String, Integer> e : model.entrySet()) {
      if (e.getKey().startsWith(prefix) && (after == null || e.getKey().compareTo(after) > 0)) {
        list.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    return list;
  }

  private static List<Map.Entry<String, Integer>> drain(Iterator<Map.Entry<String, Integer>> it) {
    List<Map.Entry<String, Integer>> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }

  /** Keys over tiny alphabets so they share prefixes; some non-ASCII and surrogate chars; often "". */
  static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.strings().withChars("ab").ofMaxLength(6)),
        Tuple.of(4, Arbitraries.strings().withChars("abc").ofMaxLength(4)),
        Tuple.of(3, Arbitraries.strings().withChars('a', 'é', '中', '\uD83D', '\uDE00', '\uFFFF', '\u0000').ofMaxLength(4)),
        Tuple.of(1, Arbitraries.just("")));
  }

  private static Arbitrary<String> prefixes() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just("")),
        Tuple.of(5, Arbitraries.strings().withChars("ab").ofMaxLength(3)),
        Tuple.of(2, keys()));
  }

  private static Arbitrary<String> afters() {
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((String) null)), Tuple.of(5, keys()));
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> values = Arbitraries.integers().between(-5, 100);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        Tuple.of(10, Combinators.combine(keys(), values).as(Put::new)),
        Tuple.of(5, keys().map(Remove::new)),
        Tuple.of(3, Combinators.combine(keys(), Arbitraries.integers().between(0, 2), values).as(Compute::new)),
        Tuple.of(4, keys().map(Get::new)),
        Tuple.of(3, Combinators.combine(prefixes(), afters()).as(Scan::new)),
        Tuple.of(1, Combinators.combine(prefixes(), afters()).as(Snapshot::new)));
    return op.list().ofMaxSize(80);
  }
}
