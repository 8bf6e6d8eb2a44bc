package kv.resp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One RESP value: a reply from a server, or a request array seen as a value. RESP2's types plus
 * RESP3's (map, set, double, boolean, verbatim string, big number, push); {@link RespEncoder}
 * writes the RESP3 types in RESP2 form for a RESP2 connection, as Redis does. Immutable.
 */
public sealed interface Resp {
  /*
   * Nulls: NullBulk and NullArray are the two nulls of RESP2 ($-1 and *-1; Redis picks one by
   * context, e.g. *-1 for a timed-out BLPOP). Both are RESP3's single null `_`, and the
   * ReplyDecoder reads `_` as NullBulk, so a reader checking for NullBulk works with either
   * protocol.
   */

  /** {@code +text}. */
  record Simple(String text) implements Resp {}

  /** {@code -text}; {@code text} starts with the error prefix, e.g. {@code "ERR no such key"}. */
  record Error(String text) implements Resp {}

  /** {@code :value}. */
  record Int(long value) implements Resp {}

  /** {@code $len data}; binary-safe. Equality is by content. */
  record Bulk(byte[] data) implements Resp {
    public static Bulk of(String text) {
      return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bulk b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Bulk[" + text() + "]";
    }
  }

  /** {@code *n ...}. */
  record Array(List<Resp> items) implements Resp {
    public Array {
      items = List.copyOf(items);
    }
  }

  /** {@code $-1} (RESP3: {@code _}): an absent value. */
  enum NullBulk implements Resp { INSTANCE }

  /** {@code *-1} (RESP3: {@code _}). */
  enum NullArray implements Resp { INSTANCE }

  /** One key and value of a {@link Map}. */
  record Pair(Resp key, Resp value) {}

  /** RESP3 {@code %n key value ...}, pairs in order; RESP2: a flat array of 2n items. */
  record Map(List<Pair> pairs) implements Resp {
    public Map {
      pairs = List.copyOf(pairs);
    }

    /** A map of bulk-string keys: {@code of("server", v1, "version", v2, ...)}. */
    public static Map of(Object... keysAndValues) {
      if (keysAndValues.length % 2 != 0) {
        throw new IllegalArgumentException("keysAndValues: " + keysAndValues.length + " items (expected: pairs)");
      }
      List<Pair> pairs = new ArrayList<>(keysAndValues.length / 2);
      for (int i = 0; i < keysAndValues.length; i += 2) {
        pairs.add(new Pair(Bulk.of((String) keysAndValues[i]), (Resp) keysAndValues[i + 1]));
      }
      return new Map(pairs);
    }

    /** The value of the first pair whose key is the bulk or simple string {@code key}, else null. */
    public Resp get(String key) {
      for (Pair p : pairs) {
        if ((p.key() instanceof Bulk b && b.text().equals(key)) || (p.key() instanceof Simple s && s.text().equals(key))) {
          return p.value();
        }
      }
      return null;
    }
  }

  /** RESP3 {@code ~n ...}: an unordered collection; RESP2: an array. */
  record Set(List<Resp> items) implements Resp {
    public Set {
      items = List.copyOf(items);
    }
  }

  /** RESP3 {@code ,1.5} (also {@code inf}, {@code -inf}, {@code nan}); RESP2: a bulk string. */
  record Double(double value) implements Resp {}

  /** RESP3 {@code #t} / {@code #f}; RESP2: the integer 1 or 0. */
  record Bool(boolean value) implements Resp {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);
  }

  /**
   * RESP3 {@code =len fmt:text}: text with a three-letter format ({@code txt}, {@code mkd}) that
   * clients show as is (INFO, CLIENT LIST); RESP2: a bulk string of the text.
   */
  record Verbatim(String format, String text) implements Resp {
    public Verbatim {
      if (format.length() != 3 || !StandardCharsets.US_ASCII.newEncoder().canEncode(format)) {
        throw new IllegalArgumentException("format: '" + format + "' (expected: three ASCII characters, e.g. txt)");
      }
    }

    public static Verbatim text(String text) {
      return new Verbatim("txt", text);
    }
  }

  /** RESP3 {@code (digits}; RESP2: a bulk string of the digits. */
  record BigNumber(BigInteger value) implements Resp {}

  /** RESP3 {@code >n ...}: out-of-band data from the server; RESP2: an array. */
  record Push(List<Resp> items) implements Resp {
    public Push {
      items = List.copyOf(items);
    }
  }

  Simple OK = new Simple("OK");
}
