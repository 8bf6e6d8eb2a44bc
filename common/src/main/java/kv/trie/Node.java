package kv.trie;

import java.util.Arrays;

/**
 * An immutable node of a {@link RadixTrie}: the edge label leading to it, the value stored at the
 * key ending here (null when none) and its children sorted by the first char of their labels,
 * a one-char leaf held as its bare value. Immutable, hence safe to share between any number of
 * threads and trie versions.
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
   *
   * Bare leaves. A leaf whose label is a single char (the last char of its key) is not stored as
   * a node: its slot in the parent's children holds its value itself, and the char is already in
   * the parent's first chars. In a dense key space (person000000..person999999) nine keys in ten
   * end in such a leaf; a node and a char array (48 bytes) per key go away, and a lookup loads
   * two objects fewer. A slot is a bare value exactly when it is not a Node: Node is
   * package-private, so no user value can be one. The writers work on whole nodes (child()
   * builds a transient node for a bare leaf) and every constructor that places children stores
   * a one-char leaf bare (slot()), so there is exactly one form for each trie.
   *
   * Dense children. When the children's first chars are consecutive ('0'..'9' under a number
   * prefix) the child is at index c - lowest: no search, no read of the char array and no
   * mispredicted branches on the lookup path; labelLength is kept as a field so a lookup reads a
   * node's chars only to compare a label longer than the char its parent matched. Both fields fit
   * in 8 bytes (a node is 32 bytes instead of 24). Profile of MapBenchmark.get over 1M keys
   * before this: seven levels of node -> chars -> binary search -> child, a chain of dependent
   * loads and data-dependent branches per level; now node -> child per level.
   */
  private static final Object[] NO_CHILDREN = new Object[0];

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final Node EMPTY_ROOT = new Node(new char[0], null, NO_CHILDREN);

  /** The label (empty only for the root), then the first char of each child. */
  final char[] chars;
  /** The value of the key ending at this node, or null when no key ends here. */
  final V value;
  /**
   * Children with distinct first label chars, in ascending order of that char: a Node, or the
   * value of a bare one-char leaf (see above).
   */
  final Object[] children;
  /** How many of {@code chars} are the label (the rest are the children's first chars). */
  private final int labelLength;
  /** The first char of the first child (0 without children). */
  private final char lowest;
  /** The children's first chars are exactly lowest, lowest + 1, ...: a child is found by subtraction. */
  private final boolean dense;

  /** {@code chars} must already end with the children's first chars; bare leaves already bare. */
  private Node(char[] chars, V value, Object[] children) {
    this.chars = chars;
    this.value = value;
    this.children = children;
    this.labelLength = chars.length - children.length;
    this.lowest = children.length == 0 ? 0 : chars[labelLength];
    this.dense = children.length > 0 && chars[chars.length - 1] - lowest + 1 == children.length;
  }

  /**
   * A copy of {@code same}'s label and children's first chars with another value and children
   * (same first chars): the derived fields are taken over, so path copying never reads the chars.
   */
  private Node(Node<V> same, V value, Object[] children) {
    this.chars = same.chars;
    this.value = value;
    this.children = children;
    this.labelLength = same.labelLength;
    this.lowest = same.lowest;
    this.dense = same.dense;
  }

  /** A node labelled {@code label} (taken over, not copied, when there are no children). */
  static <V> Node<V> of(char[] label, V value, Node<V>[] children) {
    if (children.length == 0) {
      return new Node<>(label, value, NO_CHILDREN);
    }
    char[] chars = new char[label.length + children.length];
    System.arraycopy(label, 0, chars, 0, label.length);
    Object[] slots = new Object[children.length];
    for (int i = 0; i < children.length; i++) {
      chars[label.length + i] = children[i].chars[0];
      slots[i] = children[i].slot();
    }
    return new Node<>(chars, value, slots);
  }

  /** What a parent stores for this node: its value when it is a one-char leaf, else the node. */
  private Object slot() {
    return children.length == 0 && chars.length == 1 && value != null ? value : this;
  }

  /** The child at {@code index} as a node (a transient one for a bare leaf). */
  @SuppressWarnings("unchecked")
  Node<V> child(int index) {
    Object slot = children[index];
    if (slot instanceof Node) {
      return (Node<V>) slot;
    }
    return new Node<>(new char[] {firstChar(index)}, (V) slot, NO_CHILDREN);
  }

  /** The first label char of the child at {@code index}. */
  char firstChar(int index) {
    return dense ? (char) (lowest + index) : chars[labelLength + index];
  }

  @SuppressWarnings("unchecked")
  static <V> Node<V> emptyRoot() {
    return (Node<V>) EMPTY_ROOT;
  }

  /** A childless node labelled with {@code key} from {@code from} to its end. */
  static <V> Node<V> leaf(String key, int from, V value) {
    char[] label = new char[key.length() - from];
    key.getChars(from, key.length(), label, 0);
    return new Node<>(label, value, NO_CHILDREN);
  }

  int labelLength() {
    return labelLength;
  }

  void appendLabel(StringBuilder out) {
    out.append(chars, 0, labelLength());
  }

  /**
   * Index of the child whose label starts with {@code c}, or {@code -(insertion point) - 1}
   * when there is none (as {@link java.util.Arrays#binarySearch}).
   */
  int childIndex(char c) {
    if (dense) {
      int index = c - lowest;
      return index < 0 ? -1 : index < children.length ? index : -(children.length + 1);
    }
    int base = labelLength;
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

  /**
   * Whether this node's label, whose first char is known to equal {@code s.charAt(from)}, goes on
   * as {@code s} does: the lookup's test, which skips the char the parent already matched.
   */
  boolean labelContinues(String s, int from) {
    int length = labelLength;
    if (length == 1) {
      return true;
    }
    if (s.length() - from < length) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      if (chars[i] != s.charAt(from + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many leading chars of this node's label equal the chars of {@code s} from {@code from},
   * the first being known to (the parent chose this child by it): at least 1, and found without
   * reading the label when it is that one char, as most labels under a dense parent are.
   */
  int commonPrefix(CharSequence s, int from) {
    int max = Math.min(labelLength, s.length() - from);
    int i = 1;
    while (i < max && chars[i] == s.charAt(from + i)) {
      i++;
    }
    return i;
  }

  Node<V> withValue(V newValue) {
    return new Node<>(this, newValue, children);
  }

  /** A copy with the label replaced by its chars from {@code from} on (the key moved up a split). */
  Node<V> withLabelFrom(int from) {
    return new Node<>(Arrays.copyOfRange(chars, from, chars.length), value, children);
  }

  /** A copy with the child at {@code index} replaced by one with the same first char. */
  Node<V> withChild(int index, Node<V> child) {
    Object[] copy = children.clone();
    copy[index] = child.slot();
    return new Node<>(this, value, copy);
  }

  /** A copy with {@code child} inserted at {@code index}, shifting later children right. */
  Node<V> withInsertedChild(int index, Node<V> child) {
    Object[] copy = new Object[children.length + 1];
    System.arraycopy(children, 0, copy, 0, index);
    copy[index] = child.slot();
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
    Object[] copy = children.length == 1 ? NO_CHILDREN : new Object[children.length - 1];
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
    Node<V> child = child(0);
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
