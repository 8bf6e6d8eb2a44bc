package kv.record;

/**
 * The packed form of a {@link SetValue}: one byte array that holds a crit-bit trie over the keys
 * and the pairs in written order. Stateless; the bytes it reads are never written after packing.
 */
final class SetLayout {
  /*
   * Why packed. A set is immutable once built, so it does not need the copy-on-write RadixTrie
   * (an object per node, a char[] per label, a String per key, an object per value). Everything
   * a set holds goes into one byte[] instead, read in place:
   *
   *   set    = header root nodes pairs
   *   header = varint(n << 2 | widthCode)             n >= 0 pairs; fields are 1, 2 or 4 bytes wide
   *   root   = ref                                    (absent when n == 0)
   *   nodes  = (n - 1) x (crit, ref0, ref1)            the trie's inner nodes, each field big-endian
   *   pairs  = n x (string key, value)                 in written order: iteration order
   *
   * The trie is a crit-bit (binary PATRICIA) trie: a key is read as a sequence of 17-bit
   * "virtual chars", v(i) = key.charAt(i) + 1 for i < length and 0 after the end, so a key that
   * is a prefix of another differs from it at the prefix's end. An inner node holds the first
   * bit where the keys below it disagree, crit = 17 * charIndex + (16 - bitIndex) (so lower crit
   * = earlier bit), and two refs: ref0 for keys with that bit 0, ref1 for 1. A ref is even for
   * inner node (ref >> 1) and odd for a leaf, whose pair starts (ref >> 1) bytes after the pairs
   * region starts. Lookup walks from the root testing one bit of the query per node (never
   * comparing labels), then compares the query with the one key at the leaf it reaches: time
   * O(key length + trie depth), no allocation, no scan over the other keys. There are exactly
   * n - 1 inner nodes and their crit values grow along every path. SetEncoder builds the trie
   * from the keys sorted in String.compareTo order (= virtual char order): the crit between
   * neighbours in that order decides the shape (the node with the smallest crit of a range is
   * that range's root: a Cartesian tree), in O(n log n) without recursion.
   *
   * Strings (keys and string values): varint(charCount << 1 | wide), then the chars, one byte
   * each when every char is <= 0xFF (wide = 0) or two bytes big-endian (wide = 1). UTF-16 units
   * are stored as they are, so lone surrogates survive.
   *
   * Values: one tag byte and a body. NULL, FALSE, TRUE, EMPTY_SET: no body. INT: zig-zag
   * varint. DECIMAL: a double that is m / 10^s exactly, for a 53-bit integer m and s in 0..7
   * (771.82 = 77182 / 10^2, the decimals people and createData write), as varint(zigzag(m) << 3
   * | s); the encoder uses it only when that very division gives back the same bits. DOUBLE: any
   * other double, its 8 raw bytes (NaN payloads and -0.0 kept). STRING: a string. SET: varint
   * byte length, then the nested set's own bytes (offsets in a set are relative to its own
   * start, so a built set is copied in as it is; a set d levels deep is thus copied d times while
   * a record is built, O(size x depth) with the depth limit bounding d). LIST: varint count, then
   * that many values. Reading a value builds a new Value object (a nested SetValue is a view of
   * the enclosing array), so a stored record costs its bytes, one array header and one SetValue.
   *
   * Memory, for the benchmark's records (createData -d 3 -l 8 -m 5: about 4.3 pairs in 1.5 sets
   * per record, keys of 3-6 chars): a pair takes its key and value bytes plus 2-3 bytes of tags
   * and lengths, an inner node 3 bytes while every field fits in a byte (sets with less than
   * ~128 bytes of pairs), else 6 or 12. JOL: 92 bytes per record for the sets (array and
   * SetValue included), where the RadixTrie-based sets took 832.
   */
  static final int NULL = 0;
  static final int FALSE = 1;
  static final int TRUE = 2;
  static final int INT = 3;
  static final int DOUBLE = 4;
  static final int STRING = 5;
  static final int EMPTY_SET = 6;
  static final int SET = 7;
  static final int LIST = 8;
  static final int DECIMAL = 9;
  static final int MAX_DECIMAL_SCALE = 7;

  static final int BITS_PER_CHAR = 17;

  private SetLayout() {}

  /** Width in bytes of the root, node fields for a header's width code (0, 1 or 2). */
  static int width(int code) {
    return 1 << code;
  }

  /** 10^scale, exact for the scales used (0..MAX_DECIMAL_SCALE). */
  static double pow10(int scale) {
    double p = 1;
    for (int i = 0; i < scale; i++) {
      p *= 10;
    }
    return p;
  }

  /** The integer of an INT body (zig-zag: 0, -1, 1, -2, ... are 0, 1, 2, 3, ...). */
  static long intOf(long zigzag) {
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  /** The double of a DECIMAL body: varint(zigzag(m) << 3 | s) is m / 10^s. */
  static double decimalOf(long body) {
    return intOf(body >>> 3) / pow10((int) (body & 7));
  }

  /** The width code for fields up to {@code max} (non-negative). */
  static int widthCode(int max) {
    return max < 0x100 ? 0 : max < 0x10000 ? 1 : 2;
  }

  static int pairCount(byte[] data, int start) {
    return (int) (new SetCursor(data, start).readVarLong() >>> 2);
  }

  /** Offset of the first pair of the set starting at {@code start}. */
  static int pairsStart(byte[] data, int start) {
    SetCursor cursor = new SetCursor(data, start);
    long header = cursor.readVarLong();
    int n = (int) (header >>> 2);
    return n == 0 ? cursor.position() : cursor.position() + width((int) header & 3) * (3 * n - 2);
  }

  /** Offset of the value tag of {@code key} in the set starting at {@code start}, or -1 when absent. */
  static int find(byte[] data, int start, String key) {
    SetCursor cursor = new SetCursor(data, start);
    long header = cursor.readVarLong();
    int n = (int) (header >>> 2);
    if (n == 0) {
      return -1;
    }
    int w = width((int) header & 3);
    int root = cursor.position();
    int ref = readFixed(data, root, w);
    while ((ref & 1) == 0) {
      int node = root + w * (1 + 3 * (ref >>> 1));
      int crit = readFixed(data, node, w);
      int at = crit / BITS_PER_CHAR;
      int bit = BITS_PER_CHAR - 1 - crit % BITS_PER_CHAR;
      int v = at < key.length() ? key.charAt(at) + 1 : 0;
      ref = readFixed(data, node + w * (1 + ((v >>> bit) & 1)), w);
    }
    cursor.seek(root + w * (3 * n - 2) + (ref >>> 1));
    return cursor.matchString(key) ? cursor.position() : -1;
  }

  /** An unsigned big-endian field of {@code width} bytes (fields never reach 2^31). */
  static int readFixed(byte[] data, int at, int width) {
    int v = data[at] & 0xFF;
    for (int i = 1; i < width; i++) {
      v = (v << 8) | (data[at + i] & 0xFF);
    }
    return v;
  }
}
