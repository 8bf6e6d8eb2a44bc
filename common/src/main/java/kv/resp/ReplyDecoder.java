package kv.resp;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Client-side RESP2 reply decoder (every RESP2 type, nested arrays). A pure class over bytes;
 * keeps the state of a partly received reply between calls. Not thread-safe: one per connection.
 */
public final class ReplyDecoder {
  /*
   * Same usage contract as RequestDecoder: next(in) returns one complete reply with in's position
   * just after it, or null after consuming every remaining byte (progress remembered). Arrays
   * being filled sit on an explicit stack, so nesting costs no Java stack and a reply split
   * anywhere, even inside a nested array, resumes where it stopped.
   */
  static final int MAX_DEPTH = 512;
  private static final int INITIAL_ITEMS = 16;

  private enum State { TYPE, LINE, INTEGER, BULK_LENGTH, BULK_DATA, ARRAY_LENGTH, FAILED }

  private static final class Frame {
    final int expected;
    final List<Resp> items;

    Frame(int expected) {
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
  private boolean lineIsError;
  private String failure;

  public ReplyDecoder(RespLimits limits) {
    this.limits = limits;
    this.line = new LineReader(limits.maxInlineBytes());
  }

  /**
   * Consumes bytes from {@code in} and returns the next complete reply, or {@code null} when more
   * bytes are needed (every byte of {@code in} was then consumed and remembered).
   *
   * @throws RespProtocolException when the stream cannot be framed (the connection must close)
   */
  public Resp next(ByteBuffer in) throws RespProtocolException {
    if (state == State.FAILED) {
      throw new IllegalStateException("decoder unusable after a protocol error: " + failure);
    }
    try {
      return decode(in);
    } catch (RespProtocolException e) {
      state = State.FAILED;
      failure = e.getMessage();
      stack.clear();
      throw e;
    }
  }

  private Resp decode(ByteBuffer in) throws RespProtocolException {
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
          value = new Resp.Bulk(bulk.take());
          break;
        case ARRAY_LENGTH:
          if (!number.feed(in)) {
            return null;
          }
          value = startArray(number.value());
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

  private void startValue(byte type) throws RespProtocolException {
    switch (type) {
      case '+':
      case '-':
        lineIsError = type == '-';
        line.start(lineIsError ? "error reply" : "simple string");
        state = State.LINE;
        break;
      case ':':
        number.start("integer");
        state = State.INTEGER;
        break;
      case '$':
        number.start("bulk length");
        state = State.BULK_LENGTH;
        break;
      case '*':
        number.start("array length");
        state = State.ARRAY_LENGTH;
        break;
      default:
        throw new RespProtocolException("reply type: expected one of '+', '-', ':', '$', '*', got " + RespBytes.describe(type));
    }
  }

  private Resp lineValue() throws RespProtocolException {
    int len = line.length();
    if (len == 0 || line.array()[len - 1] != '\r') {
      throw new RespProtocolException((lineIsError ? "error reply" : "simple string")
          + ": expected '\\r' before '\\n', got " + (len == 0 ? "nothing" : RespBytes.describe(line.array()[len - 1])));
    }
    String text = line.text(len - 1);
    return lineIsError ? new Resp.Error(text) : new Resp.Simple(text);
  }

  /** The null bulk, or null after switching to reading the payload. */
  private Resp startBulk(long length) throws RespProtocolException {
    if (length == -1) {
      return Resp.NullBulk.INSTANCE;
    }
    if (length < -1 || length > limits.maxBulkBytes()) {
      throw new RespProtocolException("bulk length: " + length + " (expected: -1.." + limits.maxBulkBytes() + ")");
    }
    bulk.start((int) length);
    state = State.BULK_DATA;
    return null;
  }

  /** The null or empty array, or null after pushing a frame for the elements to come. */
  private Resp startArray(long length) throws RespProtocolException {
    if (length == -1) {
      return Resp.NullArray.INSTANCE;
    }
    if (length == 0) {
      return new Resp.Array(List.of());
    }
    if (length < -1 || length > limits.maxArrayLength()) {
      throw new RespProtocolException("array length: " + length + " (expected: -1.." + limits.maxArrayLength() + ")");
    }
    if (stack.size() >= MAX_DEPTH) {
      throw new RespProtocolException("array nesting: more than " + MAX_DEPTH + " levels (expected: <= " + MAX_DEPTH + ")");
    }
    stack.push(new Frame((int) length));
    state = State.TYPE;
    return null;
  }

  /** Adds a finished value to the enclosing arrays; returns the top-level value once complete. */
  private Resp complete(Resp value) {
    Resp current = value;
    while (!stack.isEmpty()) {
      Frame top = stack.peek();
      top.items.add(current);
      if (top.items.size() < top.expected) {
        return null;
      }
      stack.pop();
      current = new Resp.Array(top.items);
    }
    return current;
  }
}
