package kv.server.durable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.record.BoolValue;
import kv.record.DoubleValue;
import kv.record.IntValue;
import kv.record.Limits;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * Compact binary form of {@link Value}s for the log and snapshots: one tag byte, then the body.
 * Decoding rebuilds an equal value with the same key order, independent of the text parser and
 * its limits. Stateless and thread-safe.
 */
final class ValueCodec {
  /*
   * Tags and bodies:
   *   1 set     varint n, then n x (string key, value)   — keys in written order
   *   2 string  string (varint byte count + CESU-8)
   *   3 int     zig-zag varint
   *   4 double  8 bytes, Double.doubleToRawLongBits (NaN payload and -0.0 kept)
   *   5 list    varint n, then n values
   *   6 true, 7 false, 8 null: no body
   * A set at a key (a record) is written as a set body without the tag (log frame PUT); any other
   * value at a key as a tagged value (log frame VALUE).
   */
  private static final int SET = 1;
  private static final int STRING = 2;
  private static final int INT = 3;
  private static final int DOUBLE = 4;
  private static final int LIST = 5;
  private static final int TRUE = 6;
  private static final int FALSE = 7;
  private static final int NULL = 8;

  /*
   * Depth is counted as the record reader counts it (the record's set is depth 1, every nested
   * set or list adds one) and bounded by the same Limits.MAX_DEPTH that bounds every --max-depth:
   * whatever a server acknowledged, a later start replays.
   */

  private ValueCodec() {}

  static void writeSetBody(ByteSink out, SetValue set) {
    List<Map.Entry<String, Value>> entries = set.entries();
    out.putVarLong(entries.size());
    for (Map.Entry<String, Value> e : entries) {
      out.putString(e.getKey());
      writeValue(out, e.getValue());
    }
  }

  static void writeValue(ByteSink out, Value value) {
    if (value instanceof SetValue set) {
      out.putByte(SET);
      writeSetBody(out, set);
    } else if (value instanceof StringValue s) {
      out.putByte(STRING);
      out.putString(s.value());
    } else if (value instanceof IntValue i) {
      out.putByte(INT);
      out.putVarLong((i.value() << 1) ^ (i.value() >> 63));
    } else if (value instanceof DoubleValue d) {
      out.putByte(DOUBLE);
      out.putLong(Double.doubleToRawLongBits(d.value()));
    } else if (value instanceof ListValue l) {
      out.putByte(LIST);
      out.putVarLong(l.items().size());
      for (Value item : l.items()) {
        writeValue(out, item);
      }
    } else if (value instanceof BoolValue b) {
      out.putByte(b.value() ? TRUE : FALSE);
    } else if (value instanceof NullValue) {
      out.putByte(NULL);
    } else {
      throw new IllegalArgumentException("value: " + value.getClass().getName() + " (expected: a kv.record.Value)");
    }
  }

  /** Reads the body of a set at {@code depth} (1: a record's set). */
  static SetValue readSetBody(ByteReader in, int depth) {
    checkDepth(depth);
    int n = in.getCount("set size");
    SetValue.Builder builder = SetValue.builder();
    for (int i = 0; i < n; i++) {
      String key = in.getString("set key");
      if (!builder.add(key, readValue(in, depth + 1))) {
        throw new MalformedPayloadException("set key \"" + key + "\": appears twice");
      }
    }
    return builder.build();
  }

  /** Reads a value inside a set or list at {@code depth - 1}: a set or list there is at {@code depth}. */
  static Value readValue(ByteReader in, int depth) {
    int tag = in.getByte("value tag");
    switch (tag) {
      case SET:
        return readSetBody(in, depth);
      case STRING:
        return new StringValue(in.getString("string"));
      case INT: {
        long z = in.getVarLong("int");
        return new IntValue((z >>> 1) ^ -(z & 1));
      }
      case DOUBLE:
        return new DoubleValue(Double.longBitsToDouble(in.getLong("double")));
      case LIST: {
        checkDepth(depth);
        int n = in.getCount("list size");
        List<Value> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(readValue(in, depth + 1));
        }
        return new ListValue(items);
      }
      case TRUE:
        return BoolValue.TRUE;
      case FALSE:
        return BoolValue.FALSE;
      case NULL:
        return NullValue.INSTANCE;
      default:
        throw new MalformedPayloadException("value tag: " + tag + " (expected: 1..8)");
    }
  }

  private static void checkDepth(int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw new MalformedPayloadException("nesting: depth " + depth + " (expected: <= " + Limits.MAX_DEPTH
          + ", the deepest record kvServer accepts)");
    }
  }
}
