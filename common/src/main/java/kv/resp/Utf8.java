package kv.resp;

import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of request arguments: invalid bytes are refused, never replaced. Stateless. */
final class Utf8 {
  /*
   * Cheap on the hot path: the JDK decodes (ASCII is a vectorised copy), and only when the result
   * holds U+FFFD, the decoder's replacement for bad input, are the bytes checked one by one (the
   * text may hold a real U+FFFD, written EF BF BD). A Latin-1-only String answers indexOf(U+FFFD)
   * at once without scanning.
   */
  private Utf8() {}

  static String decode(byte[] bytes, int index, String command) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      int bad = firstInvalid(bytes);
      if (bad >= 0) {
        throw new InvalidUtf8Exception(index, command, bad, bytes[bad]);
      }
    }
    return text;
  }

  /** Offset of the first byte that starts no valid UTF-8 sequence, or -1 when all are valid. */
  static int firstInvalid(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + len > n) {
        return i;
      }
      int cp = c & (0xff >> (len + 1));
      for (int k = 1; k < len; k++) {
        int cont = b[i + k] & 0xff;
        if ((cont & 0xc0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cont & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i;
      }
      i += len;
    }
    return -1;
  }
}
