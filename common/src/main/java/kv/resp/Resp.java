package kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One RESP2 value: a reply from a server, or a request array seen as a value. Immutable. */
public sealed interface Resp {

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

  /** {@code $-1}: an absent value. */
  enum NullBulk implements Resp { INSTANCE }

  /** {@code *-1}. */
  enum NullArray implements Resp { INSTANCE }

  Simple OK = new Simple("OK");
}
