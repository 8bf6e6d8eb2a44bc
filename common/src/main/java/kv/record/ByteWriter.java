package kv.record;

import java.util.Arrays;

/**
 * A growable byte buffer with the primitives of the packed set layout ({@link SetLayout}).
 * Not thread-safe.
 */
final class ByteWriter {
  private byte[] bytes;
  private int size;

  /** {@code capacity} is a hint; a writer that ends exactly full hands out its own array from {@link #toArray}. */
  ByteWriter(int capacity) {
    bytes = new byte[Math.max(capacity, 1)];
  }

  int size() {
    return size;
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  /** Unsigned LEB128: seven bits per byte, low bits first, high bit set on all but the last byte. */
  void writeVarLong(long value) {
    if (value >= 0 && value < 0x80 && size < bytes.length) {
      bytes[size++] = (byte) value;
      return;
    }
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** Big-endian. */
  void writeLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (value >>> shift);
    }
  }

  /** Big-endian, the low {@code width} bytes of {@code value} (1, 2 or 4). */
  void writeFixed(int value, int width) {
    ensure(width);
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (value >>> shift);
    }
  }

  void write(byte[] src, int from, int length) {
    ensure(length);
    System.arraycopy(src, from, bytes, size, length);
    size += length;
  }

  /** A string in the layout's form: its char count and width flag, then one or two bytes per char. */
  void writeString(String s) {
    int n = s.length();
    int header = size;
    writeVarLong((long) n << 1); // narrow until a char > 0xFF shows up; the flag is bit 0 of the first byte
    ensure(n);
    int start = size;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xFF) {
        bytes[header] |= 1;
        size = start;
        writeWide(s);
        return;
      }
      bytes[size++] = (byte) c;
    }
  }

  private void writeWide(String s) {
    int n = s.length();
    ensure(2 * n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      bytes[size++] = (byte) (c >>> 8);
      bytes[size++] = (byte) c;
    }
  }

  /** The bytes written so far, in an array of exactly that length. The writer must not be used afterwards. */
  byte[] toArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }

  void writeTo(ByteWriter out) {
    out.write(bytes, 0, size);
  }

  static int varLongSize(long value) {
    int n = 1;
    long v = value;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private void ensure(int more) {
    if (more > bytes.length - size) {
      long wanted = Math.max((long) size + more, 2L * bytes.length);
      if ((long) size + more > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("set: more than " + (Integer.MAX_VALUE - 8)
            + " bytes packed (expected: smaller)");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
    }
  }
}
