package kv.server.durable;

/**
 * Reads what {@link ByteSink} wrote, checking every length against the bytes that remain before
 * allocating, so a damaged payload fails with {@link MalformedPayloadException} (naming what was
 * wrong) instead of an exception from deep inside. Not thread-safe.
 */
final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int limit;

  ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  int remaining() {
    return limit - pos;
  }

  private void need(int n, String what) {
    if (n > limit - pos) {
      throw new MalformedPayloadException(what + ": needs " + n + " bytes, " + (limit - pos) + " left in the record");
    }
  }

  int getByte(String what) {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  long getLong(String what) {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  long getVarLong(String what) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = getByte(what);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new MalformedPayloadException(what + ": varint longer than 10 bytes");
  }

  /** A count of items that each take at least one byte: bounded by the bytes left. */
  int getCount(String what) {
    long n = getVarLong(what);
    if (n < 0 || n > limit - pos) {
      throw new MalformedPayloadException(what + ": " + n + " (expected: <= " + (limit - pos) + ", the bytes left)");
    }
    return (int) n;
  }

  String getString(String what) {
    int bytes = getCount(what + " length");
    char[] chars = new char[bytes];
    int n = 0;
    int end = pos + bytes;
    while (pos < end) {
      int b = buf[pos++] & 0xFF;
      if (b < 0x80) {
        chars[n++] = (char) b;
      } else if ((b & 0xE0) == 0xC0) {
        chars[n++] = (char) (((b & 0x1F) << 6) | continuation(end, what));
      } else if ((b & 0xF0) == 0xE0) {
        int c1 = continuation(end, what);
        chars[n++] = (char) (((b & 0x0F) << 12) | (c1 << 6) | continuation(end, what));
      } else {
        throw new MalformedPayloadException(what + ": invalid lead byte 0x" + Integer.toHexString(b));
      }
    }
    return new String(chars, 0, n);
  }

  private int continuation(int end, String what) {
    if (pos >= end) {
      throw new MalformedPayloadException(what + ": character cut off at the end of the string");
    }
    int b = buf[pos++] & 0xFF;
    if ((b & 0xC0) != 0x80) {
      throw new MalformedPayloadException(what + ": invalid continuation byte 0x" + Integer.toHexString(b));
    }
    return b & 0x3F;
  }
}
