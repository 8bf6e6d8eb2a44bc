package kv.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Server-side RESP2 request decoder: arrays of bulk strings and inline lines (Redis's inline
 * quoting rules; empty inline lines skipped with no reply). A pure class over bytes with no
 * socket; keeps the state of a partly received request between calls. Not thread-safe: one per
 * connection.
 */
public final class RequestDecoder extends IncrementalDecoder<Request> {
  /*
   * Usage contract: next(in) consumes bytes from in's position. It returns as soon as one request
   * is complete (in's position is then just after it; call again for pipelined requests), or
   * returns null after consuming ALL remaining bytes, whose progress it remembers. So after null
   * the caller may clear (or compact) the buffer and read more. Limits are checked before
   * anything is allocated; memory grows only with bytes actually received (a bulk string's
   * declared length is not allocated up front, see BulkReader), and bufferedBytes() tells the
   * caller how much a partly received request holds, so a server can bound the total.
   */
  private enum State { START, INLINE, ARRAY_LENGTH, ELEMENT_TYPE, BULK_LENGTH, BULK_DATA }

  private static final int INITIAL_ARGS = 16;
  /* Rough bytes of an argument besides its payload: array header and the reference to it. */
  private static final int ARG_OVERHEAD = 24;

  private final RespLimits limits;
  private final Set<String> rawLineCommands;
  private final NumberReader number = new NumberReader();
  private final BulkReader bulk = new BulkReader();
  private final LineReader line;
  private State state = State.START;
  private List<byte[]> args;
  private int expected;
  /* Bytes of the arguments of the current request received so far. */
  private long argBytes;

  public RequestDecoder(RespLimits limits) {
    this(limits, Set.of());
  }

  /**
   * {@code rawLineCommands} (upper case) name commands whose inline form takes the rest of the
   * line as one argument instead of being split into words: an inline {@code PUT "k":{"a":1}}
   * becomes the arguments {@code PUT} and {@code "k":{"a":1}} (trimmed), quotes untouched.
   */
  public RequestDecoder(RespLimits limits, Set<String> rawLineCommands) {
    this.limits = limits;
    this.rawLineCommands = Set.copyOf(rawLineCommands);
    this.line = new LineReader(limits.maxInlineBytes());
  }

  /**
   * Bytes this decoder holds for the request being received: its arguments so far and the buffer
   * of the one being read. 0 between requests (up to a few KiB of reusable buffers not counted).
   */
  public long bufferedBytes() {
    return args == null && state != State.INLINE ? 0 : argBytes + bulk.allocated() + line.allocated();
  }

  /** Whether part of a request has arrived and the rest has not. */
  public boolean inProgress() {
    return state != State.START;
  }

  @Override
  void discard() {
    args = null;
    argBytes = 0;
    bulk.take();
    line.shrink();
  }

  @Override
  Request decode(ByteBuffer in) throws RespProtocolException {
    while (in.hasRemaining()) {
      switch (state) {
        case START:
          if (in.get(in.position()) == '*') {
            in.get();
            number.start("array length");
            state = State.ARRAY_LENGTH;
          } else {
            line.start("inline request");
            state = State.INLINE;
          }
          break;
        case INLINE:
          if (!line.feed(in)) {
            return null;
          }
          state = State.START;
          Request inline = inlineRequest();
          line.shrink();
          if (inline != null) {
            return inline;
          }
          break;
        case ARRAY_LENGTH:
          if (!number.feed(in)) {
            return null;
          }
          startArray(number.value());
          break;
        case ELEMENT_TYPE:
          byte type = in.get();
          if (type != '$') {
            throw new RespProtocolException("array element " + (args.size() + 1) + " of " + expected
                + ": expected '$', got " + RespBytes.describe(type));
          }
          number.start("bulk length");
          state = State.BULK_LENGTH;
          break;
        case BULK_LENGTH:
          if (!number.feed(in)) {
            return null;
          }
          long length = number.value();
          if (length < 0 || length > limits.maxBulkBytes()) {
            throw new RespProtocolException("bulk length: " + length + " (expected: 0.." + limits.maxBulkBytes() + ")");
          }
          bulk.start((int) length);
          state = State.BULK_DATA;
          break;
        case BULK_DATA:
          if (!bulk.feed(in)) {
            return null;
          }
          byte[] arg = bulk.take();
          args.add(arg);
          argBytes += arg.length + ARG_OVERHEAD;
          if (args.size() < expected) {
            state = State.ELEMENT_TYPE;
            break;
          }
          state = State.START;
          Request request = new Request(args, null);
          args = null;
          argBytes = 0;
          return request;
        default:
          throw new IllegalStateException("state " + state);
      }
    }
    return null;
  }

  private void startArray(long length) throws RespProtocolException {
    if (length == 0 || length == -1) {
      state = State.START; // as Redis: an empty multibulk is no request and gets no reply
      return;
    }
    if (length < 0 || length > limits.maxArrayLength()) {
      throw new RespProtocolException("array length: " + length + " (expected: -1.." + limits.maxArrayLength() + ")");
    }
    expected = (int) length;
    /* Grow with the elements that actually arrive, not with the announced length. */
    args = new ArrayList<>(Math.min(expected, INITIAL_ARGS));
    state = State.ELEMENT_TYPE;
  }

  /** The request of the collected line, or null for a blank line. */
  private Request inlineRequest() throws RespProtocolException {
    byte[] bytes = line.array();
    int len = line.length();
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    List<byte[]> raw = rawLineArgs(bytes, len);
    List<byte[]> words = raw != null ? raw : InlineSplitter.split(bytes, len);
    if (words.isEmpty()) {
      return null;
    }
    return new Request(words, line.text(len));
  }

  /** [command, rest of line] when the first word is a raw-line command, else null. */
  private List<byte[]> rawLineArgs(byte[] bytes, int len) {
    if (rawLineCommands.isEmpty()) {
      return null;
    }
    int start = 0;
    while (start < len && RespBytes.isSpace(bytes[start])) {
      start++;
    }
    int end = start;
    while (end < len && !RespBytes.isSpace(bytes[end])) {
      end++;
    }
    String word = new String(bytes, start, end - start, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    if (end == start || !rawLineCommands.contains(word)) {
      return null;
    }
    int restStart = end;
    while (restStart < len && RespBytes.isSpace(bytes[restStart])) {
      restStart++;
    }
    int restEnd = len;
    while (restEnd > restStart && RespBytes.isSpace(bytes[restEnd - 1])) {
      restEnd--;
    }
    List<byte[]> result = new ArrayList<>(2);
    result.add(Arrays.copyOfRange(bytes, start, end));
    if (restEnd > restStart) {
      result.add(Arrays.copyOfRange(bytes, restStart, restEnd));
    }
    return result;
  }
}
