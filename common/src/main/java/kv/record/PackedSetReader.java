package kv.record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a set's packed form ({@link SetLayout}) that came from outside the process (a broker's
 * {@code VPUT ... PACKED}) and accepts it only when it is exactly what this code packs for some
 * set the record parser would accept: every length is checked against the bytes left before
 * anything is allocated, the depth and size limits are the parser's, doubles are finite, keys are
 * distinct, and the set packed again from what was read must equal the input byte for byte (so
 * the crit-bit trie and every width and tag are canonical). Stateless and thread-safe.
 */
public final class PackedSetReader {
  /*
   * Why not trust the bytes: a stored set is read in place on every GET and QUERY, so a trie ref
   * pointing elsewhere, a length past the end or a loop would fail later, far from the write.
   * Re-encoding what was decoded costs one pack (which a text PUT pays too) and gives one simple
   * rule instead of a checker for every invariant of the layout. Reading costs no Gson parse,
   * which is the point: the broker packs a record once and its replicas only check it.
   */
  private PackedSetReader() {}

  /** The set packed in {@code bytes}; RecordFormatException says what is wrong and at which byte. */
  public static SetValue read(byte[] bytes, Limits limits) throws RecordFormatException {
    if (bytes.length > limits.maxRecordBytes()) {
      throw new RecordFormatException("packed set size: " + bytes.length + " bytes (expected: <= "
          + limits.maxRecordBytes() + ")");
    }
    try {
      return new Reader(bytes, limits.maxDepth()).set(0, bytes.length, 1);
    } catch (StackOverflowError e) {
      throw new RecordFormatException("packed set: nesting too deep for this thread's stack (limit "
          + limits.maxDepth() + " levels)", 0, 0, e);
    }
  }

  /** One read: a position over the bytes, every step bounded by the end of the enclosing set. */
  private static final class Reader {
    private final byte[] data;
    private final int maxDepth;
    private int pos;

    Reader(byte[] data, int maxDepth) {
      this.data = data;
      this.maxDepth = maxDepth;
    }

    SetValue set(int start, int end, int depth) throws RecordFormatException {
      checkDepth(depth);
      pos = start;
      long header = varLong(end, "set header");
      long n = header >>> 2;
      int code = (int) (header & 3);
      if (code > 2) {
        throw error(start, "set header: width code 3 (expected: 0, 1 or 2)");
      }
      if (n == 0 && (code != 0 || end - start != 1)) {
        throw error(start, "empty set: more than its header (expected: the one byte 0)");
      }
      long trieBytes = n == 0 ? 0 : (3 * n - 2) * SetLayout.width(code);
      if (n > end - pos || trieBytes > end - pos) {
        throw error(start, "set of " + n + " pairs: " + (end - pos) + " bytes left (expected: its trie and pairs)");
      }
      pos += (int) trieBytes;
      SetValue.Builder builder = SetValue.builder();
      for (long i = 0; i < n; i++) {
        int at = pos;
        String key = string(end, "key");
        if (!builder.add(key, value(end, depth + 1))) {
          throw error(at, "duplicate key: \"" + key + "\" (expected: each key once per set)");
        }
      }
      if (pos != end) {
        throw error(pos, (end - pos) + " bytes after the set's last pair (expected: none)");
      }
      SetValue set;
      try {
        set = builder.build();
      } catch (IllegalArgumentException e) {
        throw new RecordFormatException("packed set: " + e.getMessage(), 0, 0, e);
      }
      if (set.packedLength() != end - start || !set.packedEquals(data, start)) {
        throw error(start, "not the canonical packing of its pairs (expected: the bytes this build packs"
            + " for them, as the broker sends)");
      }
      return set;
    }

    private Value value(int end, int depth) throws RecordFormatException {
      int at = pos;
      int tag = readByte(end, "value tag");
      switch (tag) {
        case SetLayout.NULL:
          return NullValue.INSTANCE;
        case SetLayout.FALSE:
          return BoolValue.FALSE;
        case SetLayout.TRUE:
          return BoolValue.TRUE;
        case SetLayout.INT:
          return new IntValue(SetLayout.intOf(varLong(end, "integer")));
        case SetLayout.DECIMAL:
          return new DoubleValue(SetLayout.decimalOf(varLong(end, "decimal")));
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
          return new DoubleValue(d);
        }
        case SetLayout.STRING:
          return new StringValue(string(end, "string"));
        case SetLayout.EMPTY_SET:
          checkDepth(depth);
          return SetValue.empty();
        case SetLayout.SET: {
          long length = varLong(end, "set length");
          if (length < 0 || length > end - pos) { // a varint of 10 bytes can be negative as a long
            throw error(at, "set length: " + length + " bytes, " + (end - pos) + " left (expected: no more than left)");
          }
          int start = pos;
          SetValue nested = set(start, start + (int) length, depth);
          pos = start + (int) length;
          return nested;
        }
        case SetLayout.LIST: {
          checkDepth(depth);
          long n = varLong(end, "list size");
          if (n < 0 || n > end - pos) {
            throw error(at, "list of " + n + " items, " + (end - pos) + " bytes left (expected: a byte or more per item)");
          }
          List<Value> items = new ArrayList<>((int) n);
          for (long i = 0; i < n; i++) {
            items.add(value(end, depth + 1));
          }
          return new ListValue(items);
        }
        default:
          throw error(at, "value tag: " + tag + " (expected: 0.." + SetLayout.DECIMAL + ")");
      }
    }

    private String string(int end, String what) throws RecordFormatException {
      int at = pos;
      long header = varLong(end, what + " length");
      long n = header >>> 1;
      boolean wide = (header & 1) != 0;
      int left = end - pos;
      if (n > (wide ? left / 2 : left)) { // checked before doubling: 2 * n could overflow
        throw error(at, what + " of " + n + (wide ? " two-byte" : "") + " chars: " + left
            + " bytes left (expected: no more chars than fit)");
      }
      long bytes = wide ? 2 * n : n;
      int count = (int) n;
      String s;
      if (!wide) {
        s = new String(data, pos, count, StandardCharsets.ISO_8859_1);
      } else {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
          chars[i] = (char) (((data[pos + 2 * i] & 0xFF) << 8) | (data[pos + 2 * i + 1] & 0xFF));
        }
        s = new String(chars);
      }
      pos += (int) bytes;
      return s;
    }

    private long varLong(int end, String what) throws RecordFormatException {
      int at = pos;
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte(end, what);
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
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
