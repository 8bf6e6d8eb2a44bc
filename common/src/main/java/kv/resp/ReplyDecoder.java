package kv.resp;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Client-side reply decoder: every RESP2 type and RESP3's (null, boolean, double, big number,
 * blob error, verbatim string, map, set, push; attributes are read and dropped), nested. A pure
 * class over bytes; keeps the state of a partly received reply between calls. Not thread-safe:
 * one per connection.
 */
public final class ReplyDecoder extends IncrementalDecoder<Resp> {
  /*
   * Same usage contract as RequestDecoder: next(in) returns one complete reply with in's position
   * just after it, or null after consuming every remaining byte (progress remembered). Aggregates
   * being filled sit on an explicit stack, so nesting costs no Java stack and a reply split
   * anywhere, even inside a nested map, resumes where it stopped. RESP3's `_` reads as NullBulk
   * (see Resp). An attribute (`|`) describes the reply that follows it; clients may ignore it,
   * and this decoder does. Streamed strings and aggregates (`$?`, `*?`), which Redis never sends,
   * are refused.
   */
  static final int MAX_DEPTH = 512;
  private static final int INITIAL_ITEMS = 16;

  private enum State { TYPE, LINE, INTEGER, BULK_LENGTH, BULK_DATA, AGGREGATE_LENGTH }

  private static final class Frame {
    final byte type;
    final int expected;
    final List<Resp> items;

    Frame(byte type, int expected) {
      this.type = type;
      this.expected = expected;
      this.items = new ArrayList<>(Math.min(expected, INITIAL_ITEMS));
    }
  }

  private final RespLimits limits;
  private final NumberReader number = new NumberReader();
  private final BulkReader bulk = new BulkReader();
  private final LineReader line;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private State state = State.TYPE;
  /* The type byte of the value being read. */
  private byte type;

  public ReplyDecoder(RespLimits limits) {
    this.limits = limits;
    this.line = new LineReader(limits.maxInlineBytes());
  }

  @Override
  void discard() {
    stack.clear();
    bulk.take();
  }

  @Override
  Resp decode(ByteBuffer in) throws RespProtocolException {
    while (in.hasRemaining()) {
      Resp value = null;
      switch (state) {
        case TYPE:
          startValue(in.get());
          break;
        case LINE:
          if (!line.feed(in)) {
            return null;
          }
          value = lineValue();
          line.shrink();
          break;
        case INTEGER:
          if (!number.feed(in)) {
            return null;
          }
          value = new Resp.Int(number.value());
          break;
        case BULK_LENGTH:
          if (!number.feed(in)) {
            return null;
          }
          value = startBulk(number.value());
          break;
        case BULK_DATA:
          if (!bulk.feed(in)) {
            return null;
          }
          value = bulkValue(bulk.take());
          break;
        case AGGREGATE_LENGTH:
          if (!number.feed(in)) {
            return null;
          }
          value = startAggregate(number.value());
          break;
        default:
          throw new IllegalStateException("state " + state);
      }
      if (value != null) {
        state = State.TYPE;
        Resp complete = complete(value);
        if (complete != null) {
          return complete;
        }
      }
    }
    return null;
  }

  private void startValue(byte b) throws RespProtocolException {
    type = b;
    switch (b) {
      case '+', '-', '_', '#', ',', '(':
        line.start(lineName());
        state = State.LINE;
        break;
      case ':':
        number.start("integer");
        state = State.INTEGER;
        break;
      case '$', '=', '!':
        number.start(bulkName() + " length");
        state = State.BULK_LENGTH;
        break;
      case '*', '%', '~', '>', '|':
        number.start(aggregateName() + " length");
        state = State.AGGREGATE_LENGTH;
        break;
      default:
        throw new RespProtocolException("reply type: expected one of '+', '-', ':', '$', '*' or a RESP3 type"
            + " ('_', '#', ',', '(', '=', '!', '%', '~', '>', '|'), got " + RespBytes.describe(b));
    }
  }

  private String lineName() {
    switch (type) {
      case '+': return "simple string";
      case '-': return "error reply";
      case '_': return "null";
      case '#': return "boolean";
      case ',': return "double";
      default: return "big number";
    }
  }

  private String bulkName() {
    return type == '$' ? "bulk" : type == '=' ? "verbatim string" : "blob error";
  }

  private String aggregateName() {
    switch (type) {
      case '*': return "array";
      case '%': return "map";
      case '~': return "set";
      case '>': return "push";
      default: return "attribute";
    }
  }

  private Resp lineValue() throws RespProtocolException {
    int len = line.length();
    byte[] bytes = line.array();
    if (len == 0 || bytes[len - 1] != '\r') {
      throw new RespProtocolException(lineName() + ": expected '\\r' before '\\n', got "
          + (len == 0 ? "nothing" : RespBytes.describe(bytes[len - 1])));
    }
    String text = line.text(len - 1);
    switch (type) {
      case '+':
        return new Resp.Simple(text);
      case '-':
        return new Resp.Error(text);
      case '_':
        if (!text.isEmpty()) {
          throw malformed("null", text, "nothing between '_' and \\r\\n");
        }
        return Resp.NullBulk.INSTANCE;
      case '#':
        if (text.equals("t") || text.equals("f")) {
          return text.equals("t") ? Resp.Bool.TRUE : Resp.Bool.FALSE;
        }
        throw malformed("boolean", text, "t or f");
      case ',':
        return new Resp.Double(parseDouble(text));
      default:
        if (!text.matches("[+-]?[0-9]+")) {
          throw malformed("big number", text, "an integer in decimal");
        }
        return new Resp.BigNumber(new BigInteger(text));
    }
  }

  /* RESP3: [+|-]digits[.digits][(e|E)[+|-]digits], or inf, -inf, nan. */
  private static double parseDouble(String text) throws RespProtocolException {
    switch (text) {
      case "inf", "+inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan", "-nan":
        return Double.NaN;
      default:
        if (!text.matches("[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
          throw malformed("double", text, "a decimal number, inf, -inf or nan");
        }
        return Double.parseDouble(text);
    }
  }

  private static RespProtocolException malformed(String what, String text, String expected) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return new RespProtocolException(what + ": '" + shown + "' (expected: " + expected + ")");
  }

  /** The null bulk, or null after switching to reading the payload. */
  private Resp startBulk(long length) throws RespProtocolException {
    if (length == -1 && type == '$') {
      return Resp.NullBulk.INSTANCE;
    }
    long min = type == '=' ? 4 : 0;
    if (length < min || length > limits.maxBulkBytes()) {
      throw new RespProtocolException(bulkName() + " length: " + length + " (expected: " + (type == '$' ? -1 : min)
          + ".." + limits.maxBulkBytes() + ")");
    }
    bulk.start((int) length);
    state = State.BULK_DATA;
    return null;
  }

  private Resp bulkValue(byte[] data) throws RespProtocolException {
    if (type == '$') {
      return new Resp.Bulk(data);
    }
    if (type == '!') {
      return new Resp.Error(new String(data, StandardCharsets.UTF_8));
    }
    if (data[3] != ':') {
      throw new RespProtocolException("verbatim string: expected ':' after the 3-byte format, got "
          + RespBytes.describe(data[3]));
    }
    String format = new String(data, 0, 3, StandardCharsets.ISO_8859_1);
    try {
      return new Resp.Verbatim(format, new String(data, 4, data.length - 4, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new RespProtocolException("verbatim string: " + e.getMessage());
    }
  }

  /** The null or empty aggregate, or null after pushing a frame for the elements to come. */
  private Resp startAggregate(long length) throws RespProtocolException {
    if (length == -1 && type == '*') {
      return Resp.NullArray.INSTANCE;
    }
    if (length < 0 || length > limits.maxArrayLength()) {
      throw new RespProtocolException(aggregateName() + " length: " + length + " (expected: " + (type == '*' ? -1 : 0)
          + ".." + limits.maxArrayLength() + ")");
    }
    int items = (type == '%' || type == '|') ? (int) (2 * length) : (int) length;
    if (items == 0) {
      state = State.TYPE;
      return type == '|' ? null : aggregate(type, List.of());
    }
    if (stack.size() >= MAX_DEPTH) {
      throw new RespProtocolException("nesting: more than " + MAX_DEPTH + " levels of aggregates (expected: <= "
          + MAX_DEPTH + ")");
    }
    stack.push(new Frame(type, items));
    state = State.TYPE;
    return null;
  }

  private static Resp aggregate(byte type, List<Resp> items) {
    switch (type) {
      case '%': {
        List<Resp.Pair> pairs = new ArrayList<>(items.size() / 2);
        for (int i = 0; i < items.size(); i += 2) {
          pairs.add(new Resp.Pair(items.get(i), items.get(i + 1)));
        }
        return new Resp.Map(pairs);
      }
      case '~':
        return new Resp.Set(items);
      case '>':
        return new Resp.Push(items);
      default:
        return new Resp.Array(items);
    }
  }

  /**
   * Adds a finished value to the enclosing aggregates; returns the top-level value once complete,
   * null while more is to come (a finished attribute is dropped: the value it describes follows).
   */
  private Resp complete(Resp value) {
    Resp current = value;
    while (!stack.isEmpty()) {
      Frame top = stack.peek();
      top.items.add(current);
      if (top.items.size() < top.expected) {
        return null;
      }
      stack.pop();
      if (top.type == '|') {
        return null;
      }
      current = aggregate(top.type, top.items);
    }
    return current;
  }
}
