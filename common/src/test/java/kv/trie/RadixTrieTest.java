package kv.trie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class RadixTrieTest {

  private static <V> List<Map.Entry<String, V>> drain(Iterator<Map.Entry<String, V>> it) {
    List<Map.Entry<String, V>> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }

  private static RadixTrie<Integer> trieOf(String... keys) {
    RadixTrie<Integer> trie = new RadixTrie<>();
    for (int i = 0; i < keys.length; i++) {
      trie.put(keys[i], i);
    }
    return trie;
  }

  @Test
  void emptyTrieHasNothing() {
    RadixTrie<Integer> trie = new RadixTrie<>();
    assertThat(trie.size()).isZero();
    assertThat(trie.get("")).isNull();
    assertThat(trie.get("a")).isNull();
    assertThat(trie.remove("a")).isNull();
    assertThat(trie.iterator().hasNext()).isFalse();
    assertThatThrownBy(() -> trie.iterator().next()).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void emptyKeyIsAnOrdinaryKey() {
    RadixTrie<Integer> trie = trieOf("", "a");
    assertThat(trie.get("")).isZero();
    assertThat(drain(trie.iterator())).containsExactly(entry("", 0), entry("a", 1));
    assertThat(trie.remove("")).isZero();
    assertThat(trie.get("")).isNull();
    assertThat(trie.get("a")).isEqualTo(1);
    assertThat(trie.size()).isEqualTo(1);
  }

  @Test
  void keysThatArePrefixesOfEachOtherSplitAndMerge() {
    RadixTrie<Integer> trie = trieOf("abcd", "ab", "abcx", "a", "abc");
    assertThat(drain(trie.iterator())).extracting(Map.Entry::getKey)
        .containsExactly("a", "ab", "abc", "abcd", "abcx");
    assertThat(trie.get("abx")).isNull();
    assertThat(trie.get("abcde")).isNull();
    assertThat(trie.remove("abc")).isEqualTo(4);
    assertThat(trie.remove("ab")).isEqualTo(1);
    assertThat(trie.remove("abcd")).isZero();
    assertThat(drain(trie.iterator())).containsExactly(entry("a", 3), entry("abcx", 2));
    assertThat(trie.get("abc")).isNull();
    assertThat(trie.size()).isEqualTo(2);
  }

  @Test
  void putReturnsThePreviousValueAndKeepsSize() {
    RadixTrie<String> trie = new RadixTrie<>();
    assertThat(trie.put("k", "1")).isNull();
    assertThat(trie.put("k", "2")).isEqualTo("1");
    assertThat(trie.size()).isEqualTo(1);
    assertThat(trie.get("k")).isEqualTo("2");
  }

  @Test
  void ordersByUtf16CharsLikeStringCompareTo() {
    String smiley = "\uD83D\uDE00"; // a surrogate pair: sorts before U+FFFF by chars
    RadixTrie<Integer> trie = trieOf("\uFFFF", smiley, "é", "z", "中文", "中", "", "\u0000");
    List<String> expected = new ArrayList<>(List.of("\uFFFF", smiley, "é", "z", "中文", "中", "", "\u0000"));
    expected.sort(String::compareTo);
    assertThat(drain(trie.iterator())).extracting(Map.Entry::getKey).containsExactlyElementsOf(expected);
    assertThat(trie.get(smiley)).isEqualTo(1);
    assertThat(trie.get("\uD83D")).isNull();
  }

  @Test
  void prefixIterationIncludesKeysWhosePrefixEndsInsideALabel() {
    RadixTrie<Integer> trie = trieOf("user:100", "user:101", "user:2", "usa", "v");
    assertThat(drain(trie.prefixIterator("user:1"))).extracting(Map.Entry::getKey)
        .containsExactly("user:100", "user:101");
    assertThat(drain(trie.prefixIterator("user:10"))).hasSize(2);
    assertThat(drain(trie.prefixIterator("us"))).hasSize(4);
    assertThat(drain(trie.prefixIterator("user:3"))).isEmpty();
    assertThat(drain(trie.prefixIterator("user:1000"))).isEmpty();
    assertThat(drain(trie.prefixIterator(""))).hasSize(5);
  }

  @Test
  void prefixIterationResumesStrictlyAfterAKey() {
    RadixTrie<Integer> trie = trieOf("a", "ab", "abc", "abd", "ac", "b");
    assertThat(drain(trie.prefixIterator("a", "ab"))).extracting(Map.Entry::getKey)
        .containsExactly("abc", "abd", "ac");
    assertThat(drain(trie.prefixIterator("a", "abca"))).extracting(Map.Entry::getKey)
        .containsExactly("abd", "ac");
    assertThat(drain(trie.prefixIterator("a", "a"))).extracting(Map.Entry::getKey)
        .containsExactly("ab", "abc", "abd", "ac");
    assertThat(drain(trie.prefixIterator("a", ""))).hasSize(5);
    assertThat(drain(trie.prefixIterator("a", "ac"))).isEmpty();
    assertThat(drain(trie.prefixIterator("a", "zzz"))).isEmpty();
    assertThat(drain(trie.prefixIterator("", "abd"))).extracting(Map.Entry::getKey)
        .containsExactly("ac", "b");
    assertThat(drain(trie.prefixIterator("ab", "a"))).hasSize(3);
  }

  @Test
  void computeInsertsUpdatesAndRemoves() {
    RadixTrie<Integer> trie = new RadixTrie<>();
    assertThat(trie.compute("n", (k, v) -> v == null ? 1 : v + 1)).isEqualTo(1);
    assertThat(trie.compute("n", (k, v) -> v == null ? 1 : v + 1)).isEqualTo(2);
    assertThat(trie.compute("m", (k, v) -> null)).isNull();
    assertThat(trie.size()).isEqualTo(1);
    assertThat(trie.compute("n", (k, v) -> null)).isNull();
    assertThat(trie.get("n")).isNull();
    assertThat(trie.size()).isZero();
  }

  @Test
  void computeThatThrowsChangesNothing() {
    RadixTrie<Integer> trie = trieOf("a");
    assertThatThrownBy(() -> trie.compute("a", (k, v) -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(trie.get("a")).isZero();
  }

  @Test
  void iteratorsKeepTheirSnapshot() {
    RadixTrie<Integer> trie = trieOf("a", "b", "c");
    Iterator<Map.Entry<String, Integer>> it = trie.iterator();
    assertThat(it.next()).isEqualTo(entry("a", 0));
    trie.remove("b");
    trie.put("bb", 9);
    trie.put("c", 7);
    assertThat(drain(it)).containsExactly(entry("b", 1), entry("c", 2));
    assertThat(drain(trie.iterator())).containsExactly(entry("a", 0), entry("bb", 9), entry("c", 7));
  }

  @Test
  void rejectsNullsWithMessages() {
    RadixTrie<Integer> trie = new RadixTrie<>();
    assertThatThrownBy(() -> trie.put(null, 1)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> trie.put("k", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("value for key \"k\"");
    assertThatThrownBy(() -> trie.get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> trie.remove(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> trie.compute("k", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("fn");
    assertThatThrownBy(() -> trie.prefixIterator(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("prefix");
  }

  @Test
  void veryDeepTriesDoNotOverflowASmallStack() throws Exception {
    // Keys a, aa, aaa, ... make a trie as deep as it has keys; a recursive walk would need
    // thousands of frames, more than the 64 KiB stack of this thread holds.
    int depth = 3_000;
    List<Object> outcome = new ArrayList<>();
    Thread thread = new Thread(null, () -> {
      RadixTrie<Integer> trie = new RadixTrie<>();
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        key.append('a');
        trie.put(key.toString(), i);
      }
      int count = 0;
      for (Map.Entry<String, Integer> e : trie) {
        if (e.getValue() != count++) {
          throw new AssertionError("out of order at " + e.getKey().length());
        }
      }
      outcome.add(count);
      outcome.add(trie.get(key.toString()));
      outcome.add(drain(trie.prefixIterator(key.substring(0, 10), key.substring(0, depth - 2))).size());
      trie.remove(key.substring(0, 3));
      outcome.add(trie.get(key.substring(0, 4)));
      outcome.add(trie.size());
    }, "deep-trie", 64 * 1024);
    List<Throwable> failures = new ArrayList<>();
    thread.setUncaughtExceptionHandler((t, e) -> failures.add(e));
    thread.start();
    thread.join();
    assertThat(failures).isEmpty();
    assertThat(outcome).containsExactly(depth, depth - 1, 2, 3, depth - 1);
  }
}
