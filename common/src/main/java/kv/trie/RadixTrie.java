package kv.trie;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * This project's radix (path-compressed) trie from {@code String} keys to non-null values,
 * iterated in ascending {@link String#compareTo} order. Thread-safe: readers never block and see
 * either the state before or after each write; writers are serialised (on this object's monitor).
 */
public final class RadixTrie<V> implements Iterable<Map.Entry<String, V>> {
  /*
   * Layout. Every node (see Node) is an immutable triple: a char[] edge label, the value of the
   * key that ends at the node (null when none) and a child array sorted by the first char of
   * each child's label; siblings never share a first char, so a lookup picks a child by binary
   * search on one char (the first chars are stored in the parent, after its label) and then
   * compares the rest of the label. The root has the empty label
   * and holds the value of the empty key. Keys are not stored: a key is the concatenation of the
   * labels on its path, rebuilt only by iteration. Invariant (kept by put and remove): every
   * non-root node holds a value or has at least two children, so the number of nodes is below
   * twice the number of keys. Chars are UTF-16 code units, so child order, and thus the order
   * of a depth-first walk that visits a node's own key before its children, is exactly
   * String.compareTo order (a surrogate pair is just two chars, as in compareTo).
   *
   * Memory (compressed oops): a node is a 32-byte object plus its char array (16 bytes + 2 per
   * label char + 2 per child) plus its child array (16 + 4 per child; all leaves share one empty
   * array). A leaf whose label is one char is no node at all: the parent's slot holds its value
   * (see Node), so a dense key space (person1..person1000000: nine keys in ten end in such a
   * leaf) costs about 13 bytes of structure per key, and sparse keys with longer leaf labels up to
   * roughly 60-90, with the key's chars stored once and no per-node hash table. An empty trie
   * shares one empty root node, so an empty RadixTrie costs one small object (this).

   * Concurrency: copy-on-write with path copying. A write copies the nodes on the path from the
   * root to the changed node (each copy also copies that node's child array, O(fanout)) and
   * publishes the new root with one volatile write; untouched subtrees are shared between the
   * old and new versions. Readers do one volatile read of the root and then walk immutable
   * nodes, so they never block and never see a half-done write; an iterator walks the root it
   * read when it was created, a consistent snapshot that later writes cannot change. Writers
   * take this object's monitor, so each write (including compute's read-modify-write) is atomic
   * with respect to the others. size is a separate volatile field updated after the root: a
   * reader may briefly see a size that is one write behind the root it reads.
   *
   * Complexity, for a key of length k: get is O(k + depth * log fanout), O(k + depth) where
   * children are dense, with no allocation (a bare leaf costs a writer one transient node);
   * put/remove are O(k + depth * fanout) time and garbage (fanout <= 65536, in practice small).
   * Iteration costs O(1) amortised per node visited plus building each key string; a resumed
   * prefix iteration seeks to its starting point in O(length of prefix and after) instead of
   * skipping the entries before it. Writes walk iteratively, so very deep tries cannot overflow
   * the stack.
   */

  private volatile Node<V> root = Node.emptyRoot();
  private volatile int size;

  /** Returns the value under {@code key}, or null when absent. */
  @SuppressWarnings("unchecked")
  public V get(String key) {
    requireKey(key);
    Node<V> node = root;
    int pos = 0;
    int n = key.length();
    while (pos < n) {
      int index = node.childIndex(key.charAt(pos));
      if (index < 0) {
        return null;
      }
      Object slot = node.children[index];
      if (!(slot instanceof Node)) {
        // a bare leaf: its label is the char just matched
        return pos + 1 == n ? (V) slot : null;
      }
      node = (Node<V>) slot;
      if (!node.labelContinues(key, pos)) {
        return null;
      }
      pos += node.labelLength();
    }
    return node.value;
  }

  /** Stores {@code value} (non-null) under {@code key}; returns the previous value or null. */
  public synchronized V put(String key, V value) {
    requireKey(key);
    if (value == null) {
      throw new NullPointerException("value for key \"" + key + "\": null (expected: non-null; use remove)");
    }
    return store(key, value);
  }

  /** Removes {@code key}; returns the previous value or null. */
  public synchronized V remove(String key) {
    requireKey(key);
    return delete(key);
  }

  /**
   * Atomically (with respect to other writers) replaces the value under {@code key} by
   * {@code fn(key, current)}, where current may be null; a null result removes the key.
   * Returns the new value. {@code fn} must not modify this trie; if it throws, nothing changes.
   */
  public synchronized V compute(String key, BiFunction<? super String, ? super V, ? extends V> fn) {
    requireKey(key);
    Objects.requireNonNull(fn, "fn: null (expected: a remapping function)");
    V current = get(key);
    V next = fn.apply(key, current);
    if (next == null) {
      if (current != null) {
        delete(key);
      }
    } else if (next != current) {
      store(key, next);
    }
    return next;
  }

  public int size() {
    return size;
  }

  /** All entries in ascending key order, over a consistent snapshot. */
  @Override
  public Iterator<Map.Entry<String, V>> iterator() {
    return TrieCursor.open(root, "", null);
  }

  /** Entries whose key starts with {@code prefix}, in ascending order, over a snapshot. */
  public Iterator<Map.Entry<String, V>> prefixIterator(String prefix) {
    return prefixIterator(prefix, null);
  }

  /**
   * Entries whose key starts with {@code prefix} and is strictly greater than {@code after}
   * (null: from the start), in ascending order, over a snapshot — a resumable scan (SCAN cursor).
   */
  public Iterator<Map.Entry<String, V>> prefixIterator(String prefix, String after) {
    if (prefix == null) {
      throw new NullPointerException("prefix: null (expected: a String, \"\" for all keys)");
    }
    return TrieCursor.open(root, prefix, after);
  }

  private static void requireKey(String key) {
    if (key == null) {
      throw new NullPointerException("key: null (expected: a non-null String; \"\" is allowed)");
    }
  }

  /** put without the checks; the caller holds the lock. */
  private V store(String key, V value) {
    Trail<V> trail = new Trail<>();
    Node<V> node = root;
    int pos = 0;
    int n = key.length();
    Node<V> replacement;
    V previous = null;
    while (true) {
      if (pos == n) {
        previous = node.value;
        replacement = node.withValue(value);
        break;
      }
      int index = node.childIndex(key.charAt(pos));
      if (index < 0) {
        replacement = node.withInsertedChild(-index - 1, Node.leaf(key, pos, value));
        break;
      }
      Node<V> child = node.child(index);
      int common = child.commonPrefix(key, pos);
      if (common == child.labelLength()) {
        trail.push(node, index);
        node = child;
        pos += common;
        continue;
      }
      // The key leaves the child's label after `common` chars: split the label there.
      Node<V> tail = child.withLabelFrom(common);
      char[] head = Arrays.copyOfRange(child.chars, 0, common);
      Node<V>[] pair;
      V headValue = null;
      if (pos + common == n) {
        pair = Node.newArray(1);
        pair[0] = tail;
        headValue = value;
      } else {
        Node<V> leaf = Node.leaf(key, pos + common, value);
        pair = Node.newArray(2);
        boolean leafFirst = leaf.chars[0] < tail.chars[0];
        pair[0] = leafFirst ? leaf : tail;
        pair[1] = leafFirst ? tail : leaf;
      }
      replacement = node.withChild(index, Node.of(head, headValue, pair));
      break;
    }
    root = trail.rebuild(replacement);
    if (previous == null) {
      size++;
    }
    return previous;
  }

  /** remove without the checks; the caller holds the lock. */
  private V delete(String key) {
    Trail<V> trail = new Trail<>();
    Node<V> node = root;
    int pos = 0;
    int n = key.length();
    while (pos < n) {
      int index = node.childIndex(key.charAt(pos));
      if (index < 0) {
        return null;
      }
      Node<V> child = node.child(index);
      int length = child.labelLength();
      if (child.commonPrefix(key, pos) != length) {
        return null;
      }
      trail.push(node, index);
      node = child;
      pos += length;
    }
    V previous = node.value;
    if (previous == null) {
      return null;
    }
    Node<V> replacement;
    if (trail.depth == 0 || node.children.length > 1) {
      replacement = node.withValue(null);
    } else if (node.children.length == 1) {
      replacement = node.mergedWithOnlyChild();
    } else {
      // A leaf: drop it from its parent, which may then be a valueless node with one child.
      Node<V> parent = trail.pop();
      replacement = parent.withoutChild(trail.poppedIndex);
      if (trail.depth > 0 && replacement.value == null && replacement.children.length == 1) {
        replacement = replacement.mergedWithOnlyChild();
      }
    }
    root = trail.rebuild(replacement);
    size--;
    return previous;
  }

  /** The nodes above the one being changed, and which child was taken at each, for path copying. */
  private static final class Trail<V> {
    private Node<V>[] nodes = Node.newArray(8);
    private int[] indexes = new int[8];
    int depth;
    int poppedIndex;

    void push(Node<V> node, int index) {
      if (depth == nodes.length) {
        nodes = Arrays.copyOf(nodes, depth * 2);
        indexes = Arrays.copyOf(indexes, depth * 2);
      }
      nodes[depth] = node;
      indexes[depth] = index;
      depth++;
    }

    Node<V> pop() {
      depth--;
      poppedIndex = indexes[depth];
      return nodes[depth];
    }

    /** Copies the path bottom-up with {@code replacement} in place of the deepest node; the new root. */
    Node<V> rebuild(Node<V> replacement) {
      Node<V> result = replacement;
      for (int i = depth - 1; i >= 0; i--) {
        result = nodes[i].withChild(indexes[i], result);
      }
      return result;
    }
  }
}
