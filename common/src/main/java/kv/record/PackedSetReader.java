package kv.record;

import java.nio.charset.StandardCharsets;

/**
 * Reads a set's packed form ({@link SetLayout}) that came from outside the process (a broker's
 * {@code VPUT ... PACKED}) and accepts it only when it is exactly what this code packs for some
 * set the record parser would accept: every length is checked against the bytes left before
 * anything is allocated, the depth and size limits are the parser's, doubles are finite, keys are
 * distinct, and every choice the packer makes (varint lengths, string widths, DECIMAL or DOUBLE,
 * the trie's width and every field of it) is the one it would make. Stateless and thread-safe.
 */
public final class PackedSetReader {
  /*
   * Why not trust the bytes: a stored set is read in place on every GET and QUERY, so a trie ref
   * pointing elsewhere, a length past the end or a loop would fail later, far from the write.
   * Why check in place rather than decode and pack again (as the first version did): the check
   * builds no value objects and no second array; only each set's keys are read into strings, to
   * build the crit-bit trie the packer would build (SetEncoder.buildTrie, the same code) and
   * compare it field by field. The accepted bytes become the stored set as they are. Reading
   * costs no Gson parse, which is the point: the broker packs a record once and its replicas
   * only check it. The tests hold every accepted input to "the parser's set, packed, is these
   * bytes".
   */
  private PackedSetReader() {}

  /**
   * The set packed in {@code bytes}, which it keeps (the caller must not change them afterwards);
   * RecordFormatException says what is wrong and at which byte.
   */
  public static SetValue read(byte[] bytes, Limits limits) throws RecordFormatException {
    if (bytes.length > limits.maxRecordBytes()) {
      throw new RecordFormatException("packed set size: " + bytes.length + " bytes (expected: <= "
          + limits.maxRecordBytes() + ")");
    }
    try {
      if (new Reader(bytes, limits.maxDepth()).set(0, bytes.length, 1) == 0) {
        return SetValue.empty();
      }
    } catch (StackOverflowError e) {
      throw new RecordFormatException("packed set: nesting too deep for this thread's stack (limit "
          + limits.maxDepth() + " levels)", 0, 0, e);
    }
    return new SetValue(bytes, 0, bytes.length);
  }

  /** One check: a position over the bytes, every step bounded by the end of the enclosing set. */
  private static final class Reader {
    private final byte[] data;
    private final int maxDepth;
    private int pos;

    Reader(byte[] data, int maxDepth) {
      this.data = data;
      this.maxDepth = maxDepth;
    }

    /** Checks the set in [start, end); returns its number of pairs. */
    long set(int start, int end, int depth) throws RecordFormatException {
      checkDepth(depth);
      pos = start;
      long header = varLong(end, "set header");
      long n = header >>> 2;
      int code = (int) (header & 3);
      if (code > 2) {
        throw error(start, "set header: width code 3 (expected: 0, 1 or 2)");
      }
      if (n == 0) {
        if (code != 0 || end - start != 1) {
          throw error(start, "empty set: more than its header (expected: the one byte 0)");
        }
        return 0;
      }
      int width = SetLayout.width(code);
      long trieBytes = (3 * n - 2) * width;
      if (n > end - pos || trieBytes > end - pos) {
        throw error(start, "set of " + n + " pairs: " + (end - pos) + " bytes left (expected: its trie and pairs)");
      }
      int trie = pos;
      pos += (int) trieBytes;
      int pairs = pos;
      int count = (int) n;
      String[] keys = new String[count];
      int[] leaf = new int[count];
      for (int i = 0; i < count; i++) {
        leaf[i] = (pos - pairs) << 1 | 1;
        keys[i] = string(end);
        value(end, depth + 1);
      }
      if (pos != end) {
        throw error(pos, (end - pos) + " bytes after the set's last pair (expected: none)");
      }
      if (end - pairs > SetEncoder.MAX_PAIRS_BYTES) { // the packer's bound: no leaf ref above overflowed
        throw error(pairs, "set pairs: " + (end - pairs) + " bytes (expected: <= " + SetEncoder.MAX_PAIRS_BYTES + ")");
      }
      checkTrie(start, trie, code, keys, leaf);
      return n;
    }

    /* The trie in the bytes must be the one the packer builds over these keys, in its width. */
    private void checkTrie(int start, int trie, int code, String[] keys, int[] leaf) throws RecordFormatException {
      int n = keys.length;
      int[] nodes = new int[3 * (n - 1)];
      int root = leaf[0];
      if (n > 1) {
        int[] sorted = SetEncoder.sortedIndexes(keys, n);
        for (int g = 1; g < n; g++) {
          if (keys[sorted[g - 1]].equals(keys[sorted[g]])) {
            throw error(start, "duplicate key: \"" + keys[sorted[g]] + "\" (expected: each key once per set)");
          }
        }
        try {
          root = SetEncoder.buildTrie(keys, sorted, leaf, n, nodes);
        } catch (IllegalArgumentException e) {
          throw new RecordFormatException("packed set: " + e.getMessage() + " at byte " + start, 0, 0, e);
        }
      }
      int max = root;
      for (int field : nodes) {
        max = Math.max(max, field);
      }
      if (SetLayout.widthCode(max) != code) {
        throw error(start, "trie fields " + SetLayout.width(code) + " bytes wide (expected: "
            + SetLayout.width(SetLayout.widthCode(max)) + ", not the canonical packing)");
      }
      int width = SetLayout.width(code);
      boolean same = SetLayout.readFixed(data, trie, width) == root;
      for (int i = 0; same && i < nodes.length; i++) {
        same = SetLayout.readFixed(data, trie + (i + 1) * width, width) == nodes[i];
      }
      if (!same) {
        throw error(trie, "trie: not the crit-bit trie of the set's keys (expected: the canonical packing)");
      }
    }

    private void value(int end, int depth) throws RecordFormatException {
      int at = pos;
      int tag = readByte(end, "value tag");
      switch (tag) {
        case SetLayout.NULL, SetLayout.FALSE, SetLayout.TRUE:
          return;
        case SetLayout.INT:
          varLong(end, "integer");
          return;
        case SetLayout.DECIMAL: {
          long body = varLong(end, "decimal");
          if (SetEncoder.decimal(SetLayout.decimalOf(body)) != body) {
            throw error(at, "decimal " + SetLayout.decimalOf(body) + ": not its canonical packing (expected: "
                + "the smallest scale that gives it back)");
          }
          return;
        }
        case SetLayout.DOUBLE: {
          need(end, 8, "double");
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (data[pos++] & 0xFF);
          }
          double d = Double.longBitsToDouble(bits);
          if (!Double.isFinite(d)) {
            throw error(at, "double: " + d + " (expected: a finite number; records have no NaN or Infinity)");
          }
          if (SetEncoder.decimal(d) >= 0) {
            throw error(at, "double " + d + ": packed as DOUBLE (expected: DECIMAL, its canonical packing)");
          }
          return;
        }
        case SetLayout.STRING:
          skipString(end);
          return;
        case SetLayout.EMPTY_SET:
          checkDepth(depth);
          return;
        case SetLayout.SET: {
          long length = varLong(end, "set length");
          if (length < 0 || length > end - pos) { // a varint of 10 bytes can be negative as a long
            throw error(at, "set length: " + length + " bytes, " + (end - pos) + " left (expected: no more than left)");
          }
          int start = pos;
          if (set(start, start + (int) length, depth) == 0) {
            throw error(at, "an empty set tagged SET (expected: the tag EMPTY_SET, its canonical packing)");
          }
          pos = start + (int) length;
          return;
        }
        case SetLayout.LIST: {
          checkDepth(depth);
          long n = varLong(end, "list size");
          if (n < 0 || n > end - pos) {
            throw error(at, "list of " + n + " items, " + (end - pos) + " bytes left (expected: a byte or more per item)");
          }
          for (long i = 0; i < n; i++) {
            value(end, depth + 1);
          }
          return;
        }
        default:
          throw error(at, "value tag: " + tag + " (expected: 0.." + SetLayout.DECIMAL + ")");
      }
    }

    /** Reads a key. */
    private String string(int end) throws RecordFormatException {
      long header = stringHeader(end, "key");
      int count = (int) (header >>> 1);
      String s;
      if ((header & 1) == 0) {
        s = new String(data, pos, count, StandardCharsets.ISO_8859_1);
        pos += count;
      } else {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
          chars[i] = (char) (((data[pos + 2 * i] & 0xFF) << 8) | (data[pos + 2 * i + 1] & 0xFF));
        }
        pos += 2 * count;
        s = new String(chars);
      }
      return s;
    }

    /** Checks a string value without building it. */
    private void skipString(int end) throws RecordFormatException {
      long header = stringHeader(end, "string");
      int count = (int) (header >>> 1);
      pos += (header & 1) == 0 ? count : 2 * count;
    }

    /**
     * Reads a string's header (its char count << 1 | 1 when two bytes a char) and leaves {@code
     * pos} at its chars. The chars must fit in the bytes left, and a string packed two bytes a
     * char must have one above 0xFF (the packer uses one byte a char otherwise).
     */
    private long stringHeader(int end, String what) throws RecordFormatException {
      int at = pos;
      long header = varLong(end, what + " length");
      long n = header >>> 1;
      boolean wide = (header & 1) != 0;
      int left = end - pos;
      if (n > (wide ? left / 2 : left)) { // checked before doubling: 2 * n could overflow
        throw error(at, what + " of " + n + (wide ? " two-byte" : "") + " chars: " + left
            + " bytes left (expected: no more chars than fit)");
      }
      if (wide) {
        boolean above = false;
        for (int i = 0; i < n && !above; i++) {
          above = data[pos + 2 * i] != 0;
        }
        if (!above) {
          throw error(at, what + " of " + n + " chars packed two bytes each, none above 0xFF (expected: one byte"
              + " each, its canonical packing)");
        }
      }
      return header;
    }

    /* A varint as ByteWriter writes it: no byte after the last that carries a set bit, no bit past 64. */
    private long varLong(int end, String what) throws RecordFormatException {
      int at = pos;
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte(end, what);
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if ((b == 0 && shift > 0) || (shift == 63 && b > 1)) {
            throw error(at, what + ": a varint of " + (pos - at) + " bytes (expected: the shortest form of "
                + "a 64-bit number, its canonical packing)");
          }
          return v;
        }
      }
      throw error(at, what + ": a varint longer than 10 bytes (expected: at most 10)");
    }

    private int readByte(int end, String what) throws RecordFormatException {
      need(end, 1, what);
      return data[pos++] & 0xFF;
    }

    private void need(int end, int n, String what) throws RecordFormatException {
      if (end - pos < n) {
        throw error(pos, what + ": the set ends " + (end - pos) + " bytes on (expected: " + n + " more)");
      }
    }

    private void checkDepth(int depth) throws RecordFormatException {
      if (depth > maxDepth) {
        throw error(pos, "nesting: more than " + maxDepth + " levels (expected: at most " + maxDepth + ")");
      }
    }

    private static RecordFormatException error(int at, String problem) {
      return new RecordFormatException("packed set: " + problem + " at byte " + at);
    }
  }
}
