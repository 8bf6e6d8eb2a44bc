package kv.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments following Redis's {@code sdssplitargs}:
 * whitespace separates; in double quotes {@code \n \r \t \b \a \\ \" \xHH} are escapes (any other
 * escaped character stands for itself); in single quotes only {@code \'} is; a quote may start in
 * the middle of a word; a closing quote must be followed by whitespace or the end of the line.
 * Unlike the C original, a NUL byte is an ordinary byte. Stateless.
 */
final class InlineSplitter {
  private InlineSplitter() {}

  static List<byte[]> split(byte[] line, int len) throws RespProtocolException {
    List<byte[]> args = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    int p = 0;
    while (true) {
      while (p < len && RespBytes.isSpace(line[p])) {
        p++;
      }
      if (p >= len) {
        return args;
      }
      current.reset();
      boolean inDouble = false;
      boolean inSingle = false;
      int quoteAt = -1;
      boolean done = false;
      while (!done) {
        if (inDouble || inSingle) {
          if (p >= len) {
            throw new RespProtocolException("unbalanced quotes in inline request: the quote at column " + (quoteAt + 1)
                + " is not closed (expected: a closing " + (inDouble ? "'\"'" : "\"'\"") + ")");
          }
        }
        byte c = p < len ? line[p] : 0;
        if (inDouble) {
          if (c == '\\' && p + 3 < len && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
            current.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
            p += 4;
          } else if (c == '\\' && p + 1 < len) {
            current.write(unescape(line[p + 1]));
            p += 2;
          } else if (c == '"') {
            closeQuote(line, len, p);
            done = true;
            p++;
          } else {
            current.write(c);
            p++;
          }
        } else if (inSingle) {
          if (c == '\\' && p + 1 < len && line[p + 1] == '\'') {
            current.write('\'');
            p += 2;
          } else if (c == '\'') {
            closeQuote(line, len, p);
            done = true;
            p++;
          } else {
            current.write(c);
            p++;
          }
        } else if (p >= len) {
          done = true;
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          done = true;
          p++;
        } else if (c == '"') {
          inDouble = true;
          quoteAt = p++;
        } else if (c == '\'') {
          inSingle = true;
          quoteAt = p++;
        } else {
          current.write(c);
          p++;
        }
      }
      args.add(current.toByteArray());
    }
  }

  private static void closeQuote(byte[] line, int len, int p) throws RespProtocolException {
    if (p + 1 < len && !RespBytes.isSpace(line[p + 1])) {
      throw new RespProtocolException("unbalanced quotes in inline request: closing quote at column " + (p + 1)
          + " followed by " + RespBytes.describe(line[p + 1]) + " (expected: whitespace or the end of the line)");
    }
  }

  private static int unescape(byte c) {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'a':
        return 7;
      default:
        return c;
    }
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hex(byte c) {
    if (c <= '9') {
      return c - '0';
    }
    return (c | 0x20) - 'a' + 10;
  }
}
