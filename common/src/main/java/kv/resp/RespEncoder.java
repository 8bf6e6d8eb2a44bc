package kv.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes replies (in RESP2 or RESP3, see {@link Protocol}) and requests. Stateless and
 * thread-safe.
 */
public final class RespEncoder {
  /*
   * Hot path: no String.format, no String for numbers. Headers of small lengths and small
   * integer replies are precomputed (as Netty's FixedRedisMessagePool does); others are built in
   * one small array and written with one call. The caches are immutable after class init.
   */
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NULL_BULK = ascii("$-1\r\n");
  private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
  private static final byte[] OK = ascii("+OK\r\n");
  private static final byte[] NULL3 = ascii("_\r\n");
  private static final byte[] TRUE3 = ascii("#t\r\n");
  private static final byte[] FALSE3 = ascii("#f\r\n");
  private static final int CACHED_LENGTHS = 1024;
  private static final int CACHED_ARRAYS = 128;
  private static final int MIN_CACHED_INT = -1;
  private static final int MAX_CACHED_INT = 1023;
  private static final byte[][] BULK_HEADERS = headers('$', 0, CACHED_LENGTHS - 1);
  private static final byte[][] ARRAY_HEADERS = headers('*', 0, CACHED_ARRAYS - 1);
  private static final byte[][] INTEGERS = headers(':', MIN_CACHED_INT, MAX_CACHED_INT);

  private RespEncoder() {}

  /** Writes {@code value} in RESP2; an {@link IOException} of {@code out} is rethrown unchecked. */
  public static void encode(Resp value, OutputStream out) {
    encode(value, Protocol.RESP2, out);
  }

  /**
   * Writes {@code value} in {@code protocol}. For RESP2 the RESP3 types are written as Redis
   * writes them to a RESP2 client: a map as a flat array of keys and values, a set or push as an
   * array, a boolean as the integer 1 or 0, a double, big number or verbatim string as a bulk
   * string; the nulls stay {@code $-1} and {@code *-1} (RESP3: {@code _}).
   */
  public static void encode(Resp value, Protocol protocol, OutputStream out) {
    try {
      write(value, protocol == Protocol.RESP3, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] encode(Resp value) {
    return encode(value, Protocol.RESP2);
  }

  public static byte[] encode(Resp value, Protocol protocol) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(value, protocol, out);
    return out.toByteArray();
  }

  /** A request as an array of bulk strings. */
  public static void encodeRequest(List<byte[]> args, OutputStream out) {
    try {
      writeArrayHeader(args.size(), out);
      for (byte[] arg : args) {
        writeBulk(arg, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request of UTF-8 words as an array of bulk strings, e.g. {@code request("GET", "k")}. */
  public static byte[] request(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeArrayHeader(args.length, out);
      for (String arg : args) {
        writeBulk(arg.getBytes(StandardCharsets.UTF_8), out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(Resp value, boolean resp3, OutputStream out) throws IOException {
    if (value instanceof Resp.Bulk) {
      writeBulk(((Resp.Bulk) value).data(), out);
    } else if (value instanceof Resp.Simple) {
      writeSimple(((Resp.Simple) value).text(), out);
    } else if (value instanceof Resp.Int) {
      writeInteger(((Resp.Int) value).value(), out);
    } else if (value instanceof Resp.Error) {
      writeLine('-', ((Resp.Error) value).text(), out);
    } else if (value instanceof Resp.Array) {
      writeItems('*', ((Resp.Array) value).items(), resp3, out);
    } else if (value == Resp.NullBulk.INSTANCE) {
      out.write(resp3 ? NULL3 : NULL_BULK);
    } else if (value == Resp.NullArray.INSTANCE) {
      out.write(resp3 ? NULL3 : NULL_ARRAY);
    } else {
      writeResp3(value, resp3, out);
    }
  }

  /* The RESP3 types, downgraded for RESP2 as Redis does. */
  private static void writeResp3(Resp value, boolean resp3, OutputStream out) throws IOException {
    if (value instanceof Resp.Map map) {
      List<Resp.Pair> pairs = map.pairs();
      if (resp3) {
        out.write(header('%', pairs.size()));
      } else {
        writeArrayHeader(2 * pairs.size(), out);
      }
      for (Resp.Pair p : pairs) {
        write(p.key(), resp3, out);
        write(p.value(), resp3, out);
      }
    } else if (value instanceof Resp.Set set) {
      writeItems(resp3 ? '~' : '*', set.items(), resp3, out);
    } else if (value instanceof Resp.Push push) {
      writeItems(resp3 ? '>' : '*', push.items(), resp3, out);
    } else if (value instanceof Resp.Bool b) {
      out.write(resp3 ? (b.value() ? TRUE3 : FALSE3) : INTEGERS[(b.value() ? 1 : 0) - MIN_CACHED_INT]);
    } else if (value instanceof Resp.Double d) {
      String text = doubleText(d.value());
      if (resp3) {
        writeLine(',', text, out);
      } else {
        writeBulk(text.getBytes(StandardCharsets.US_ASCII), out);
      }
    } else if (value instanceof Resp.BigNumber n) {
      String text = n.value().toString();
      if (resp3) {
        writeLine('(', text, out);
      } else {
        writeBulk(text.getBytes(StandardCharsets.US_ASCII), out);
      }
    } else if (value instanceof Resp.Verbatim v) {
      byte[] text = v.text().getBytes(StandardCharsets.UTF_8);
      if (resp3) {
        out.write(header('=', text.length + 4L));
        out.write(v.format().getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.write(text);
        out.write(CRLF);
      } else {
        writeBulk(text, out);
      }
    } else {
      throw new IllegalArgumentException("value: " + value + " (expected: a RESP value)");
    }
  }

  private static void writeItems(char type, List<Resp> items, boolean resp3, OutputStream out) throws IOException {
    if (type == '*') {
      writeArrayHeader(items.size(), out);
    } else {
      out.write(header(type, items.size()));
    }
    for (Resp item : items) {
      write(item, resp3, out);
    }
  }

  /** A double as RESP3 writes it: {@code inf}, {@code -inf}, {@code nan}, else Java's shortest form. */
  static String doubleText(double d) {
    if (java.lang.Double.isNaN(d)) {
      return "nan";
    }
    if (java.lang.Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return java.lang.Double.toString(d);
  }

  /** {@code $len\r\n data \r\n}. */
  public static void writeBulk(byte[] data, OutputStream out) throws IOException {
    int n = data.length;
    out.write(n < CACHED_LENGTHS ? BULK_HEADERS[n] : header('$', n));
    out.write(data);
    out.write(CRLF);
  }

  /** {@code :value\r\n}. */
  public static void writeInteger(long value, OutputStream out) throws IOException {
    out.write(value >= MIN_CACHED_INT && value <= MAX_CACHED_INT
        ? INTEGERS[(int) value - MIN_CACHED_INT] : header(':', value));
  }

  /** {@code *n\r\n}; the caller then writes the n elements. */
  public static void writeArrayHeader(int n, OutputStream out) throws IOException {
    out.write(n >= 0 && n < CACHED_ARRAYS ? ARRAY_HEADERS[n] : header('*', n));
  }

  /** {@code +text\r\n}; CR and LF in {@code text} become spaces. */
  public static void writeSimple(String text, OutputStream out) throws IOException {
    if ("OK".equals(text)) {
      out.write(OK);
    } else {
      writeLine('+', text, out);
    }
  }

  private static void writeLine(char type, String text, OutputStream out) throws IOException {
    String clean = text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    byte[] bytes = clean.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[bytes.length + 3];
    frame[0] = (byte) type;
    System.arraycopy(bytes, 0, frame, 1, bytes.length);
    frame[frame.length - 2] = '\r';
    frame[frame.length - 1] = '\n';
    out.write(frame);
  }

  /** {@code type digits \r\n} in one array, without an intermediate String. */
  static byte[] header(char type, long value) {
    int digits = decimalLength(value);
    byte[] b = new byte[digits + 3];
    b[0] = (byte) type;
    b[digits + 1] = '\r';
    b[digits + 2] = '\n';
    /* Work with the negative value so Long.MIN_VALUE needs no special case. */
    long v = value < 0 ? value : -value;
    int i = digits;
    do {
      b[i--] = (byte) ('0' - (v % 10));
      v /= 10;
    } while (v != 0);
    if (value < 0) {
      b[i] = '-';
    }
    return b;
  }

  /** Characters of {@code value} in decimal, sign included. */
  static int decimalLength(long value) {
    long v = value < 0 ? value : -value;
    int n = value < 0 ? 2 : 1;
    while (v <= -10) {
      v /= 10;
      n++;
    }
    return n;
  }

  private static byte[][] headers(char type, int from, int to) {
    byte[][] result = new byte[to - from + 1][];
    for (int i = from; i <= to; i++) {
      result[i - from] = header(type, i);
    }
    return result;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
