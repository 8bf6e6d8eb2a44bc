package kv.record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packed bytes of a set ({@link SetLayout}) forward from a position. Not thread-safe
 * (a cursor, one per read); the bytes it reads never change, so any number of cursors may share them.
 */
final class SetCursor {
  private final byte[] data;
  private int pos;

  SetCursor(byte[] data, int pos) {
    this.data = data;
    this.pos = pos;
  }

  int position() {
    return pos;
  }

  void seek(int position) {
    pos = position;
  }

  long readVarLong() {
    long v = 0;
    int shift = 0;
    byte b;
    do {
      b = data[pos++];
      v |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return v;
  }

  String readString() {
    long header = readVarLong();
    int n = (int) (header >>> 1);
    if ((header & 1) == 0) {
      String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
      pos += n;
      return s;
    }
    char[] chars = new char[n];
    for (int i = 0; i < n; i++) {
      chars[i] = (char) (((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF));
      pos += 2;
    }
    return new String(chars);
  }

  /** Reads a string and tells whether it equals {@code s}, without building it. */
  boolean matchString(String s) {
    long header = readVarLong();
    int n = (int) (header >>> 1);
    boolean wide = (header & 1) != 0;
    int from = pos;
    pos += wide ? 2 * n : n;
    if (n != s.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      int c = wide ? ((data[from + 2 * i] & 0xFF) << 8) | (data[from + 2 * i + 1] & 0xFF) : data[from + i] & 0xFF;
      if (c != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  void skipString() {
    long header = readVarLong();
    pos += (int) (header >>> 1) << (int) (header & 1);
  }

  Value readValue() {
    int tag = data[pos++];
    switch (tag) {
      case SetLayout.NULL:
        return NullValue.INSTANCE;
      case SetLayout.FALSE:
        return BoolValue.FALSE;
      case SetLayout.TRUE:
        return BoolValue.TRUE;
      case SetLayout.INT:
        return new IntValue(SetLayout.intOf(readVarLong()));
      case SetLayout.DOUBLE:
        return new DoubleValue(Double.longBitsToDouble(readLong()));
      case SetLayout.DECIMAL:
        return new DoubleValue(SetLayout.decimalOf(readVarLong()));
      case SetLayout.STRING:
        return new StringValue(readString());
      case SetLayout.EMPTY_SET:
        return SetValue.empty();
      case SetLayout.SET: {
        int length = (int) readVarLong();
        int start = pos;
        pos += length;
        return new SetValue(data, start, pos);
      }
      case SetLayout.LIST: {
        int n = (int) readVarLong();
        List<Value> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(readValue());
        }
        return new ListValue(items);
      }
      default:
        throw new IllegalStateException("packed set: unknown value tag " + tag + " at offset " + (pos - 1));
    }
  }

  void skipValue() {
    int tag = data[pos++];
    switch (tag) {
      case SetLayout.INT, SetLayout.DECIMAL -> readVarLong();
      case SetLayout.DOUBLE -> pos += 8;
      case SetLayout.STRING -> skipString();
      case SetLayout.SET -> {
        int length = (int) readVarLong(); // apart: "pos += readVarLong()" would add to the pos before the read
        pos += length;
      }
      case SetLayout.LIST -> {
        int n = (int) readVarLong();
        for (int i = 0; i < n; i++) {
          skipValue();
        }
      }
      default -> {
        // NULL, FALSE, TRUE, EMPTY_SET: no body
      }
    }
  }

  private long readLong() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (data[pos++] & 0xFF);
    }
    return v;
  }
}
