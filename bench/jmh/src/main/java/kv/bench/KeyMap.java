package kv.bench;

import com.googlecode.concurrenttrees.radix.ConcurrentRadixTree;
import com.googlecode.concurrenttrees.radix.node.concrete.DefaultCharArrayNodeFactory;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import kv.trie.RadixTrie;

/**
 * The four string-keyed maps under comparison behind one small interface, so every benchmark runs
 * the same code against each. Each JMH fork loads only one implementation, so the calls stay
 * monomorphic. Not thread-safe (the benchmarks are single-threaded).
 */
abstract class KeyMap {
  /** The structures compared; the names are the JMH parameter values. */
  enum Kind {
    RadixTrie, HashMap, TreeMap, ConcurrentRadixTree;

    KeyMap create() {
      switch (this) {
        case RadixTrie: return new Trie();
        case HashMap: return new JdkMap(new HashMap<>());
        case TreeMap: return new Sorted(new TreeMap<>());
        case ConcurrentRadixTree: return new Radix();
        default: throw new AssertionError(this);
      }
    }
  }

  abstract Object get(String key);

  abstract void put(String key, Object value);

  /** Visits every key starting with {@code prefix}; returns a checksum of the keys' lengths. */
  abstract long scan(String prefix);

  /** The object graph that holds the mapping (measured by JOL). */
  abstract Object root();

  /** Keys shaped like createData's: {@code person1 .. personN}. */
  static String key(int i) {
    return "person" + i;
  }

  static KeyMap load(Kind kind, int n, Object value) {
    KeyMap map = kind.create();
    for (int i = 1; i <= n; i++) {
      map.put(key(i), value);
    }
    return map;
  }

  private static final class Trie extends KeyMap {
    private final RadixTrie<Object> trie = new RadixTrie<>();

    @Override Object get(String key) { return trie.get(key); }

    @Override void put(String key, Object value) { trie.put(key, value); }

    @Override long scan(String prefix) {
      long sum = 0;
      for (Iterator<Map.Entry<String, Object>> it = trie.prefixIterator(prefix); it.hasNext(); ) {
        sum += it.next().getKey().length();
      }
      return sum;
    }

    @Override Object root() { return trie; }
  }

  /* HashMap has no order: a prefix scan is a walk over every key. That is what a user of it pays. */
  private static class JdkMap extends KeyMap {
    final Map<String, Object> map;

    JdkMap(Map<String, Object> map) { this.map = map; }

    @Override Object get(String key) { return map.get(key); }

    @Override void put(String key, Object value) { map.put(key, value); }

    @Override long scan(String prefix) {
      long sum = 0;
      for (String key : map.keySet()) {
        if (key.startsWith(prefix)) {
          sum += key.length();
        }
      }
      return sum;
    }

    @Override Object root() { return map; }
  }

  private static final class Sorted extends JdkMap {
    private final TreeMap<String, Object> tree;

    Sorted(TreeMap<String, Object> tree) {
      super(tree);
      this.tree = tree;
    }

    /* Every key with the prefix sorts in [prefix, prefix + U+FFFF). */
    @Override long scan(String prefix) {
      long sum = 0;
      for (String key : tree.subMap(prefix, true, prefix + '\uffff', false).keySet()) {
        sum += key.length();
      }
      return sum;
    }
  }

  private static final class Radix extends KeyMap {
    private final ConcurrentRadixTree<Object> tree = new ConcurrentRadixTree<>(new DefaultCharArrayNodeFactory());

    @Override Object get(String key) { return tree.getValueForExactKey(key); }

    @Override void put(String key, Object value) { tree.put(key, value); }

    @Override long scan(String prefix) {
      long sum = 0;
      for (CharSequence key : tree.getKeysStartingWith(prefix)) {
        sum += key.length();
      }
      return sum;
    }

    @Override Object root() { return tree; }
  }
}
