package kv.trie;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A lazy ascending iterator over one immutable version of a {@link RadixTrie}, optionally
 * restricted to a prefix and to keys after a given one. Not thread-safe (one iterator, one
 * thread), but any number of cursors may walk the same or different versions concurrently.
 */
final class TrieCursor<V> implements Iterator<Map.Entry<String, V>> {
  /*
   * An explicit depth-first stack, so deep tries cannot overflow the thread stack. Frame i holds
   * a node, the length of its key (the key itself is the prefix of `key` up to that length; a
   * frame's children only append after it) and the index of the next child to visit, or -1
   * while the node's own value is still to be offered. Keys are built only for entries
   * returned. Opening with `after` does not skip entries one by one: it descends along `after`
   * once, pushing each node on the way with its next child set to the first one whose keys are
   * all greater than `after`.
   */

  private Node<V>[] nodes = Node.newArray(8);
  private int[] keyLengths = new int[8];
  private int[] nextChild = new int[8];
  private int depth;
  private final StringBuilder key = new StringBuilder();
  private Map.Entry<String, V> pending;

  private TrieCursor() {}

  /** A cursor over the keys under {@code root} starting with {@code prefix} and greater than {@code after} (if non-null). */
  static <V> TrieCursor<V> open(Node<V> root, String prefix, String after) {
    TrieCursor<V> cursor = new TrieCursor<>();
    Node<V> node = root;
    int pos = 0;
    int n = prefix.length();
    while (pos < n) {
      int index = node.childIndex(prefix.charAt(pos));
      if (index < 0) {
        return cursor;
      }
      Node<V> child = node.child(index);
      int common = child.commonPrefix(prefix, pos);
      if (common < child.labelLength() && pos + common < n) {
        return cursor; // the prefix leaves the label: no key starts with it
      }
      child.appendLabel(cursor.key); // the prefix may end inside this label: all keys below match
      node = child;
      pos += child.labelLength();
    }
    // Every key under `node` starts with `key`, which starts with `prefix`.
    if (after == null || CharSequence.compare(cursor.key, after) > 0) {
      cursor.push(node, cursor.key.length(), -1);
    } else if (startsWith(after, cursor.key)) {
      cursor.seek(node, after);
    }
    // else `after` is greater than every key under `node`: nothing to return
    return cursor;
  }

  private static boolean startsWith(String s, CharSequence start) {
    if (start.length() > s.length()) {
      return false;
    }
    for (int i = 0; i < start.length(); i++) {
      if (s.charAt(i) != start.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Positions the cursor on the first key greater than {@code after}, which starts with the key of {@code node}. */
  private void seek(Node<V> node, String after) {
    int length = key.length();
    while (true) {
      if (length == after.length()) {
        push(node, length, 0); // the node's own key is `after`: skip it, every child follows it
        return;
      }
      int index = node.childIndex(after.charAt(length));
      if (index < 0) {
        push(node, length, -index - 1);
        return;
      }
      Node<V> child = node.child(index);
      int common = child.commonPrefix(after, length);
      if (common == child.labelLength()) {
        push(node, length, index + 1);
        child.appendLabel(key);
        length += common;
        node = child;
        continue;
      }
      boolean childAfter = length + common == after.length() || child.chars[common] > after.charAt(length + common);
      push(node, length, childAfter ? index : index + 1);
      return;
    }
  }

  private void push(Node<V> node, int keyLength, int next) {
    if (depth == nodes.length) {
      nodes = Arrays.copyOf(nodes, depth * 2);
      keyLengths = Arrays.copyOf(keyLengths, depth * 2);
      nextChild = Arrays.copyOf(nextChild, depth * 2);
    }
    nodes[depth] = node;
    keyLengths[depth] = keyLength;
    nextChild[depth] = next;
    depth++;
  }

  @Override
  public boolean hasNext() {
    if (pending == null) {
      advance();
    }
    return pending != null;
  }

  @Override
  public Map.Entry<String, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more entries in this trie iteration");
    }
    Map.Entry<String, V> entry = pending;
    pending = null;
    return entry;
  }

  @SuppressWarnings("unchecked")
  private void advance() {
    while (depth > 0) {
      int top = depth - 1;
      Node<V> node = nodes[top];
      if (nextChild[top] < 0) {
        nextChild[top] = 0;
        if (node.value != null) {
          key.setLength(keyLengths[top]);
          pending = Map.entry(key.toString(), node.value);
          return;
        }
      }
      if (nextChild[top] < node.children.length) {
        int index = nextChild[top]++;
        Object slot = node.children[index];
        key.setLength(keyLengths[top]);
        if (!(slot instanceof Node)) {
          // a bare leaf: its key is the node's key and the child's first char
          key.append(node.firstChar(index));
          pending = Map.entry(key.toString(), (V) slot);
          return;
        }
        Node<V> child = (Node<V>) slot;
        child.appendLabel(key);
        push(child, key.length(), -1);
      } else {
        nodes[top] = null;
        depth--;
      }
    }
  }
}
