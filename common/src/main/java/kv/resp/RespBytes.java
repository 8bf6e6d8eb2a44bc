package kv.resp;

/** Byte helpers shared by the decoders: names of bytes for error messages, C's isspace. */
final class RespBytes {
  static final byte[] EMPTY = new byte[0];

  private RespBytes() {}

  /** A byte as it appears in error messages: {@code ':'}, {@code '\r'} or {@code 0x00}. */
  static String describe(byte b) {
    if (b == '\r') {
      return "'\\r'";
    }
    if (b == '\n') {
      return "'\\n'";
    }
    if (b >= 0x20 && b < 0x7f) {
      return "'" + (char) b + "'";
    }
    return String.format("0x%02x", b & 0xff);
  }

  /** C's {@code isspace} in the "C" locale, as used by Redis's {@code sdssplitargs}. */
  static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
  }
}
