package kv.resp;

import java.nio.ByteBuffer;

/**
 * Incrementally reads the decimal line after a type byte ({@code [-]digits\r\n}) as a 64-bit
 * signed integer. Holds its progress between calls, so a header split anywhere is read once. Not
 * thread-safe.
 */
final class NumberReader {
  private static final long MULT_MIN = Long.MIN_VALUE / 10;

  private String field = "integer";
  private boolean negative;
  private boolean signAllowed;
  private boolean awaitingLf;
  private int digits;
  /* Accumulated negatively, so Long.MIN_VALUE is representable. */
  private long acc;

  /** Starts a new number; {@code field} names it in error messages ("bulk length"). */
  void start(String field) {
    this.field = field;
    negative = false;
    signAllowed = true;
    awaitingLf = false;
    digits = 0;
    acc = 0;
  }

  /**
   * Consumes bytes of the number and its {@code \r\n}; returns true once the {@code \n} was
   * consumed (then {@link #value()} holds the number), false when {@code in} ran out first.
   */
  boolean feed(ByteBuffer in) throws RespProtocolException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (awaitingLf) {
        if (b != '\n') {
          throw new RespProtocolException(field + ": expected '\\n' after '\\r', got " + RespBytes.describe(b));
        }
        return true;
      }
      if (b >= '0' && b <= '9') {
        int d = b - '0';
        if (acc < MULT_MIN) {
          throw outOfRange();
        }
        long shifted = acc * 10;
        if (shifted < Long.MIN_VALUE + d) {
          throw outOfRange();
        }
        acc = shifted - d;
        digits++;
        signAllowed = false;
      } else if (b == '-' && signAllowed) {
        negative = true;
        signAllowed = false;
      } else if (b == '\r' && digits > 0) {
        if (!negative && acc == Long.MIN_VALUE) {
          throw outOfRange();
        }
        awaitingLf = true;
      } else {
        String after = digits > 0 || negative ? " after \"" + soFar() + "\"" : "";
        throw new RespProtocolException(field + ": expected a decimal integer then \\r\\n, got "
            + RespBytes.describe(b) + after);
      }
    }
    return false;
  }

  long value() {
    return negative ? acc : -acc;
  }

  private String soFar() {
    if (digits == 0) {
      return negative ? "-" : "";
    }
    if (negative) {
      return Long.toString(acc);
    }
    return acc == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(-acc);
  }

  private RespProtocolException outOfRange() {
    return new RespProtocolException(field + ": out of range after \"" + soFar() + "\" (expected: a 64-bit signed integer)");
  }
}
