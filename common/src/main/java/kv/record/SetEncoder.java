package kv.record;

import java.util.Arrays;

/**
 * Packs a set's pairs into the layout of {@link SetLayout}: the pairs in written order and the
 * crit-bit trie over their keys. Stateless and thread-safe.
 */
final class SetEncoder {
  /** Pairs regions past this size would overflow a leaf ref (offset << 1 | 1) in an int. */
  static final int MAX_PAIRS_BYTES = (1 << 30) - 1;
  /** Crit values past this would overflow an int (keys sharing a prefix of ~126M chars). */
  private static final int MAX_CRIT_INDEX = (Integer.MAX_VALUE - SetLayout.BITS_PER_CHAR) / SetLayout.BITS_PER_CHAR;
  private static final int INSERTION_SORT_MAX = 24;

  private SetEncoder() {}

  /** The packed bytes of the {@code n >= 1} pairs {@code keys[i] : values[i]}; keys are distinct. */
  static byte[] encode(String[] keys, Value[] values, int n) {
    ByteWriter pairs = new ByteWriter(32 + 16 * n);
    int[] leaf = new int[n];
    for (int i = 0; i < n; i++) {
      leaf[i] = pairs.size() << 1 | 1;
      pairs.writeString(keys[i]);
      writeValue(pairs, values[i]);
      if (pairs.size() > MAX_PAIRS_BYTES) {
        throw new IllegalArgumentException("set: more than " + MAX_PAIRS_BYTES + " bytes packed (expected: smaller)");
      }
    }
    int inner = n - 1;
    int[] nodes = new int[3 * inner]; // crit, ref0, ref1 of each inner node, as laid out
    int root = n == 1 ? leaf[0] : buildTrie(keys, sortedIndexes(keys, n), leaf, n, nodes);
    int max = root;
    for (int field : nodes) {
      max = Math.max(max, field);
    }
    int code = SetLayout.widthCode(max);
    int w = SetLayout.width(code);
    long header = (long) n << 2 | code;
    ByteWriter out = new ByteWriter(ByteWriter.varLongSize(header) + w * (3 * n - 2) + pairs.size());
    out.writeVarLong(header);
    out.writeFixed(root, w);
    for (int field : nodes) {
      out.writeFixed(field, w);
    }
    pairs.writeTo(out);
    return out.toArray();
  }

  /**
   * Fills {@code nodes} with the n - 1 inner nodes of the crit-bit trie over the keys ({@code n
   * >= 2, distinct, {@code sorted} their indexes in order, leaf refs in {@code leaf}); returns the
   * root ref. Inner node g sits between the keys g and g + 1 in sorted order and tests the first
   * bit where they differ; the trie is the Cartesian tree of those crit values (smallest on top),
   * built left to right with a stack that holds its right spine.
   */
  static int buildTrie(String[] keys, int[] sorted, int[] leaf, int n, int[] nodes) {
    int[] spine = new int[n - 1];
    int depth = 0;
    for (int g = 0; g < n - 1; g++) {
      int crit = critBit(keys[sorted[g]], keys[sorted[g + 1]]);
      nodes[3 * g] = crit;
      int sub = leaf[sorted[g]];
      while (depth > 0 && nodes[3 * spine[depth - 1]] > crit) {
        int top = spine[--depth];
        nodes[3 * top + 2] = sub;
        sub = top << 1;
      }
      nodes[3 * g + 1] = sub;
      spine[depth++] = g;
    }
    int root = leaf[sorted[n - 1]];
    while (depth > 0) {
      int top = spine[--depth];
      nodes[3 * top + 2] = root;
      root = top << 1;
    }
    return root;
  }

  static void writeValue(ByteWriter out, Value value) {
    if (value instanceof SetValue set) {
      if (set.isEmpty()) {
        out.writeByte(SetLayout.EMPTY_SET);
      } else {
        out.writeByte(SetLayout.SET);
        set.writePacked(out);
      }
    } else if (value instanceof StringValue s) {
      out.writeByte(SetLayout.STRING);
      out.writeString(s.value());
    } else if (value instanceof IntValue i) {
      out.writeByte(SetLayout.INT);
      out.writeVarLong((i.value() << 1) ^ (i.value() >> 63));
    } else if (value instanceof DoubleValue d) {
      long decimal = decimal(d.value());
      if (decimal >= 0) {
        out.writeByte(SetLayout.DECIMAL);
        out.writeVarLong(decimal);
      } else {
        out.writeByte(SetLayout.DOUBLE);
        out.writeLong(Double.doubleToRawLongBits(d.value()));
      }
    } else if (value instanceof BoolValue b) {
      out.writeByte(b.value() ? SetLayout.TRUE : SetLayout.FALSE);
    } else if (value instanceof ListValue l) {
      out.writeByte(SetLayout.LIST);
      out.writeVarLong(l.items().size());
      for (Value item : l.items()) {
        writeValue(out, item);
      }
    } else {
      out.writeByte(SetLayout.NULL);
    }
  }

  /**
   * The DECIMAL body of {@code d} (see SetLayout), or -1 when m / 10^s with the smallest
   * possible scale does not give back exactly {@code d} (-0.0, NaN, infinities, long fractions).
   */
  static long decimal(double d) {
    long bits = Double.doubleToRawLongBits(d);
    for (int scale = 0; scale <= SetLayout.MAX_DECIMAL_SCALE; scale++) {
      double p = SetLayout.pow10(scale);
      double scaled = d * p;
      double m = Math.rint(scaled);
      if (!(Math.abs(m) < 0x1p53)) {
        return -1; // too large for 53 bits here and at every larger scale, or not finite
      }
      // m / p == d implies scaled is within a few ulps of m: skip the division when it is not.
      if (Math.abs(scaled - m) <= Math.abs(m) * 0x1p-50 && Double.doubleToRawLongBits((long) m / p) == bits) {
        long mantissa = (long) m;
        return ((mantissa << 1) ^ (mantissa >> 63)) << 3 | scale;
      }
    }
    return -1;
  }

  /** The first bit where {@code a < b} differ, as a crit value (see SetLayout). */
  static int critBit(String a, String b) {
    int min = Math.min(a.length(), b.length());
    int at = 0;
    while (at < min && a.charAt(at) == b.charAt(at)) {
      at++;
    }
    if (at > MAX_CRIT_INDEX) {
      throw new IllegalArgumentException("set: two keys share a prefix of " + at + " chars (expected: at most "
          + MAX_CRIT_INDEX + ")");
    }
    int va = at < a.length() ? a.charAt(at) + 1 : 0;
    int vb = at < b.length() ? b.charAt(at) + 1 : 0;
    int bit = 31 - Integer.numberOfLeadingZeros(va ^ vb);
    return SetLayout.BITS_PER_CHAR * at + (SetLayout.BITS_PER_CHAR - 1 - bit);
  }

  /** Indexes 0..n-1 ordered by their keys' String.compareTo order. */
  static int[] sortedIndexes(String[] keys, int n) {
    int[] order = new int[n];
    if (n <= INSERTION_SORT_MAX) {
      for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && keys[order[j - 1]].compareTo(keys[i]) > 0) {
          order[j] = order[j - 1];
          j--;
        }
        order[j] = i;
      }
      return order;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (x, y) -> keys[x].compareTo(keys[y]));
    for (int i = 0; i < n; i++) {
      order[i] = boxed[i];
    }
    return order;
  }
}
