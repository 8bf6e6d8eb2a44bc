package kv.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Incrementally collects one line up to {@code \n} (not stored), refusing to hold more than
 * {@code max} bytes of content plus an optional final {@code \r}. The buffer grows only with the
 * bytes actually received. Not thread-safe.
 */
final class LineReader {
  private static final int INITIAL = 64;
  private static final int KEEP = 8192;

  private final int max;
  private String what = "line";
  private byte[] buf = new byte[INITIAL];
  private int len;

  LineReader(int max) {
    this.max = max;
  }

  /** Starts a new line; {@code what} names it in error messages ("inline request"). */
  void start(String what) {
    this.what = what;
    len = 0;
    if (buf.length > KEEP) {
      buf = new byte[INITIAL]; // do not keep a large buffer for an idle connection
    }
  }

  /** Consumes bytes up to and including {@code \n}; true when the line is complete. */
  boolean feed(ByteBuffer in) throws RespProtocolException {
    int pos = in.position();
    /* Scan no further than one byte past what could still be allowed. */
    int scanEnd = (int) Math.min(in.limit(), pos + (max + 2L - len));
    int i = pos;
    while (i < scanEnd && in.get(i) != '\n') {
      i++;
    }
    boolean found = i < scanEnd;
    int n = i - pos;
    int total = len + n;
    byte last = n > 0 ? in.get(i - 1) : len > 0 ? buf[len - 1] : 0;
    if (total > max + 1 || (total == max + 1 && last != '\r')) {
      throw new RespProtocolException(what + " too long: more than " + max + " bytes (expected: <= " + max + ")");
    }
    if (total > buf.length) {
      byte[] bigger = new byte[(int) Math.min(Math.max(total, 2L * buf.length), max + 1L)];
      System.arraycopy(buf, 0, bigger, 0, len);
      buf = bigger;
    }
    in.get(buf, len, n);
    len = total;
    if (found) {
      in.get();
    }
    return found;
  }

  /** Bytes of the buffer beyond the small one every reader keeps. */
  int allocated() {
    return buf.length > KEEP ? buf.length : 0;
  }

  /** Drops a large buffer once its line was used, so an idle connection does not keep it. */
  void shrink() {
    if (buf.length > KEEP) {
      buf = new byte[INITIAL];
    }
  }

  /** Bytes of the line collected so far (the final {@code \r}, if any, included). */
  int length() {
    return len;
  }

  byte[] array() {
    return buf;
  }

  String text(int length) {
    return new String(buf, 0, length, StandardCharsets.UTF_8);
  }
}
