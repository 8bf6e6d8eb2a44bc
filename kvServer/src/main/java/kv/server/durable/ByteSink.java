package kv.server.durable;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer that frames and snapshots are encoded into. Strings are
 * written as a varint byte count followed by CESU-8 (every UTF-16 char on its own, so lone
 * surrogates survive the round trip, which plain UTF-8 would turn into '?'). Not thread-safe.
 */
final class ByteSink {
  private byte[] buf;
  private int size;

  ByteSink(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  int capacity() {
    return buf.length;
  }

  byte[] array() {
    return buf;
  }

  void reset() {
    size = 0;
  }

  ByteBuffer asBuffer() {
    return ByteBuffer.wrap(buf, 0, size);
  }

  private void ensure(int more) {
    int needed = size + more;
    if (needed < 0) {
      throw new IllegalArgumentException("buffer size: over 2 GiB (expected: a frame below "
          + Frames.MAX_PAYLOAD_BYTES + " bytes)");
    }
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L)));
    }
  }

  void putByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void putInt(int v) {
    ensure(4);
    setInt(size, v);
    size += 4;
  }

  void setInt(int pos, int v) {
    buf[pos] = (byte) (v >>> 24);
    buf[pos + 1] = (byte) (v >>> 16);
    buf[pos + 2] = (byte) (v >>> 8);
    buf[pos + 3] = (byte) v;
  }

  void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first. */
  void putVarLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void put(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, buf, size, length);
    size += length;
  }

  void putString(String s) {
    int n = s.length();
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    putVarLong(bytes);
    ensure(bytes);
    byte[] b = buf;
    int p = size;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    size = p;
  }
}
