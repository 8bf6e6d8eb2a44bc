package kv.trie;

/**
 * An immutable node of a {@link RadixTrie}: the edge label leading to it, the value stored at the
 * key ending here (null when none) and its children sorted by the first char of their labels.
 * Immutable, hence safe to share between any number of threads and trie versions.
 */
final class Node<V> {
  static final char[] NO_LABEL = new char[0];

  @SuppressWarnings("rawtypes")
  private static final Node[] NO_CHILDREN = new Node[0];

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final Node EMPTY_ROOT = new Node(NO_LABEL, null, NO_CHILDREN);

  /** Chars of the key between the parent and this node; empty only for the root. */
  final char[] label;
  /** The value of the key ending at this node, or null when no key ends here. */
  final V value;
  /** Children with distinct first label chars, in ascending order of that char. */
  final Node<V>[] children;

  Node(char[] label, V value, Node<V>[] children) {
    this.label = label;
    this.value = value;
    this.children = children;
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

  /**
   * Index of the child whose label starts with {@code c}, or {@code -(insertion point) - 1}
   * when there is none (as {@link java.util.Arrays#binarySearch}).
   */
  int childIndex(char c) {
    int lo = 0;
    int hi = children.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = children[mid].label[0];
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

  /** How many leading chars of {@code label} equal the chars of {@code s} from {@code from}. */
  static int commonPrefix(char[] label, CharSequence s, int from) {
    int max = Math.min(label.length, s.length() - from);
    int i = 0;
    while (i < max && label[i] == s.charAt(from + i)) {
      i++;
    }
    return i;
  }

  Node<V> withValue(V newValue) {
    return new Node<>(label, newValue, children);
  }

  Node<V> withLabel(char[] newLabel) {
    return new Node<>(newLabel, value, children);
  }

  /** A copy with the child at {@code index} replaced. */
  Node<V> withChild(int index, Node<V> child) {
    Node<V>[] copy = children.clone();
    copy[index] = child;
    return new Node<>(label, value, copy);
  }

  /** A copy with {@code child} inserted at {@code index}, shifting later children right. */
  Node<V> withInsertedChild(int index, Node<V> child) {
    Node<V>[] copy = newArray(children.length + 1);
    System.arraycopy(children, 0, copy, 0, index);
    copy[index] = child;
    System.arraycopy(children, index, copy, index + 1, children.length - index);
    return new Node<>(label, value, copy);
  }

  /** A copy without the child at {@code index}. */
  Node<V> withoutChild(int index) {
    Node<V>[] copy = children.length == 1 ? noChildren() : newArray(children.length - 1);
    System.arraycopy(children, 0, copy, 0, index);
    System.arraycopy(children, index + 1, copy, index, children.length - index - 1);
    return new Node<>(label, value, copy);
  }

  /** This node joined with its only child: the concatenated label, the child's value and children. */
  Node<V> mergedWithOnlyChild() {
    Node<V> child = children[0];
    char[] joined = new char[label.length + child.label.length];
    System.arraycopy(label, 0, joined, 0, label.length);
    System.arraycopy(child.label, 0, joined, label.length, child.label.length);
    return new Node<>(joined, child.value, child.children);
  }

  @SuppressWarnings("unchecked")
  static <V> Node<V>[] newArray(int length) {
    return (Node<V>[]) new Node[length];
  }
}
