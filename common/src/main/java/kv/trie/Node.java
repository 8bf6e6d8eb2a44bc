package kv.trie;

import java.util.Arrays;

/**
 * An immutable node of a {@link RadixTrie}: the edge label leading to it, the value stored at the
 * key ending here (null when none) and its children sorted by the first char of their labels.
 * Immutable, hence safe to share between any number of threads and trie versions.
 */
final class Node<V> {
  /*
   * One char array holds the label followed by the first char of every child, in child order:
   * chars = label[0 .. labelLength) + firsts[0 .. children.length). Choosing a child is then a
   * binary search inside an array the lookup has just read (to compare the label), instead of
   * loading every probed child and its label (two dependent cache misses per probe: the cost that
   * dominated writes into a trie of a million keys). A leaf's array is just its label, so leaves,
   * most of the nodes, cost nothing extra; an inner node pays two bytes per child, often inside
   * the array's alignment padding. A child's first char never changes while it stays at its index
   * (a split or merge keeps the first char), so replacing a child shares the array.
   */
  @SuppressWarnings("rawtypes")
  private static final Node[] NO_CHILDREN = new Node[0];

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final Node EMPTY_ROOT = new Node(new char[0], null, NO_CHILDREN);

  /** The label (empty only for the root), then the first char of each child. */
  final char[] chars;
  /** The value of the key ending at this node, or null when no key ends here. */
  final V value;
  /** Children with distinct first label chars, in ascending order of that char. */
  final Node<V>[] children;

  /** {@code chars} must already end with the children's first chars. */
  private Node(char[] chars, V value, Node<V>[] children) {
    this.chars = chars;
    this.value = value;
    this.children = children;
  }

  /** A node labelled {@code label} (taken over, not copied, when there are no children). */
  static <V> Node<V> of(char[] label, V value, Node<V>[] children) {
    if (children.length == 0) {
      return new Node<>(label, value, children);
    }
    char[] chars = new char[label.length + children.length];
    System.arraycopy(label, 0, chars, 0, label.length);
    for (int i = 0; i < children.length; i++) {
      chars[label.length + i] = children[i].chars[0];
    }
    return new Node<>(chars, value, children);
  }

  @SuppressWarnings("unchecked")
  static <V> Node<V> emptyRoot() {
    return (Node<V>) EMPTY_ROOT;
  }

  @SuppressWarnings("unchecked")
  static <V> Node<V>[] noChildren() {
    return (Node<V>[]) NO_CHILDREN;
  }

  /** A childless node labelled with {@code key} from {@code from} to its end. */
  static <V> Node<V> leaf(String key, int from, V value) {
    char[] label = new char[key.length() - from];
    key.getChars(from, key.length(), label, 0);
    return new Node<>(label, value, noChildren());
  }

  int labelLength() {
    return chars.length - children.length;
  }

  void appendLabel(StringBuilder out) {
    out.append(chars, 0, labelLength());
  }

  /**
   * Index of the child whose label starts with {@code c}, or {@code -(insertion point) - 1}
   * when there is none (as {@link java.util.Arrays#binarySearch}).
   */
  int childIndex(char c) {
    int base = chars.length - children.length;
    int lo = 0;
    int hi = children.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = chars[base + mid];
      if (m < c) {
        lo = mid + 1;
      } else if (m > c) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** How many leading chars of this node's label equal the chars of {@code s} from {@code from}. */
  int commonPrefix(CharSequence s, int from) {
    int max = Math.min(labelLength(), s.length() - from);
    int i = 0;
    while (i < max && chars[i] == s.charAt(from + i)) {
      i++;
    }
    return i;
  }

  Node<V> withValue(V newValue) {
    return new Node<>(chars, newValue, children);
  }

  /** A copy with the label replaced by its chars from {@code from} on (the key moved up a split). */
  Node<V> withLabelFrom(int from) {
    return new Node<>(Arrays.copyOfRange(chars, from, chars.length), value, children);
  }

  /** A copy with the child at {@code index} replaced by one with the same first char. */
  Node<V> withChild(int index, Node<V> child) {
    Node<V>[] copy = children.clone();
    copy[index] = child;
    return new Node<>(chars, value, copy);
  }

  /** A copy with {@code child} inserted at {@code index}, shifting later children right. */
  Node<V> withInsertedChild(int index, Node<V> child) {
    Node<V>[] copy = newArray(children.length + 1);
    System.arraycopy(children, 0, copy, 0, index);
    copy[index] = child;
    System.arraycopy(children, index, copy, index + 1, children.length - index);
    int at = labelLength() + index;
    char[] next = new char[chars.length + 1];
    System.arraycopy(chars, 0, next, 0, at);
    next[at] = child.chars[0];
    System.arraycopy(chars, at, next, at + 1, chars.length - at);
    return new Node<>(next, value, copy);
  }

  /** A copy without the child at {@code index}. */
  Node<V> withoutChild(int index) {
    Node<V>[] copy = children.length == 1 ? noChildren() : newArray(children.length - 1);
    System.arraycopy(children, 0, copy, 0, index);
    System.arraycopy(children, index + 1, copy, index, children.length - index - 1);
    int at = labelLength() + index;
    char[] next = new char[chars.length - 1];
    System.arraycopy(chars, 0, next, 0, at);
    System.arraycopy(chars, at + 1, next, at, chars.length - at - 1);
    return new Node<>(next, value, copy);
  }

  /** This node joined with its only child: the concatenated label, the child's value and children. */
  Node<V> mergedWithOnlyChild() {
    Node<V> child = children[0];
    int own = labelLength();
    char[] joined = new char[own + child.chars.length];
    System.arraycopy(chars, 0, joined, 0, own);
    System.arraycopy(child.chars, 0, joined, own, child.chars.length);
    return new Node<>(joined, child.value, child.children);
  }

  @SuppressWarnings("unchecked")
  static <V> Node<V>[] newArray(int length) {
    return (Node<V>[]) new Node[length];
  }
}
