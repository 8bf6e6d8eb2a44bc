package kv.raft;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kv.resp.ReplyDecoder;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;

/**
 * The bytes of a Raft entry and of its reply. An entry is a batch: one or more RESP requests
 * (arrays of bulk strings, as clients send them to a kvServer), applied in order; a request may
 * be wrapped as {@code ONCE client seq floor COMMAND args...} to be applied at most once (see
 * {@link RequestId}). A reply is the RESP replies, one per request, in order. Read batches (sent
 * with Ratis's read-only calls, never logged) use the same form without ONCE. Stateless and
 * thread-safe.
 */
public final class EntryCodec {
  /** The wrapper word; no command of its own. */
  public static final String ONCE = "ONCE";
  private static final byte[] ONCE_BYTES = ONCE.getBytes(StandardCharsets.US_ASCII);
  /** Entries come from Ratis clients of this cluster: generous limits, checked all the same. */
  static final RespLimits LIMITS = new RespLimits(64 * 1024, 256 * 1024 * 1024, 1024 * 1024);

  /** One request of a batch and, for a write that must apply at most once, its id (else null). */
  public record Op(List<byte[]> args, RequestId id) {
    public Op {
      args = List.copyOf(args);
      if (args.isEmpty()) {
        throw new IllegalArgumentException("request: empty (expected: a command and its arguments)");
      }
    }

    public Request request() {
      return new Request(args, null);
    }

    /** Bytes this op takes in an entry, roughly (for batch limits). */
    public long size() {
      long n = 64;
      for (byte[] a : args) {
        n += a.length + 16;
      }
      return n;
    }
  }

  private EntryCodec() {}

  /** The entry (or read batch) of {@code ops}. */
  public static byte[] encode(List<Op> ops) {
    long total = 0;
    for (Op op : ops) {
      total += op.size();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(total, 1 << 20));
    for (Op op : ops) {
      List<byte[]> args = op.args();
      if (op.id() != null) {
        RequestId id = op.id();
        List<byte[]> wrapped = new ArrayList<>(args.size() + 4);
        wrapped.add(ONCE_BYTES);
        wrapped.add(id.client().getBytes(StandardCharsets.UTF_8));
        wrapped.add(Long.toString(id.seq()).getBytes(StandardCharsets.US_ASCII));
        wrapped.add(Long.toString(id.floor()).getBytes(StandardCharsets.US_ASCII));
        wrapped.addAll(args);
        args = wrapped;
      }
      RespEncoder.encodeRequest(args, out);
    }
    return out.toByteArray();
  }

  /**
   * The ops of an entry.
   *
   * @throws MalformedEntryException when the bytes are not RESP requests, or a ONCE wrapper is malformed
   */
  public static List<Op> decode(ByteBuffer entry) throws MalformedEntryException {
    Decoder decoder = new Decoder();
    decoder.feed(entry);
    return decoder.finish();
  }

  /** The reply bytes of {@code replies}, in order. */
  public static byte[] encodeReplies(List<Resp> replies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * replies.size() + 16);
    for (Resp r : replies) {
      RespEncoder.encode(r, out);
    }
    return out.toByteArray();
  }

  /**
   * The {@code expected} replies in {@code bytes}.
   *
   * @throws MalformedEntryException when the bytes do not hold exactly that many RESP replies
   */
  public static List<Resp> decodeReplies(ByteBuffer bytes, int expected) throws MalformedEntryException {
    ReplyDecoder decoder = new ReplyDecoder(LIMITS);
    List<Resp> replies = new ArrayList<>(expected);
    try {
      while (bytes.hasRemaining()) {
        Resp r = decoder.next(bytes);
        if (r == null) {
          throw new MalformedEntryException("reply: cut short after " + replies.size() + " of " + expected + " replies");
        }
        replies.add(r);
      }
    } catch (RespProtocolException e) {
      throw new MalformedEntryException("reply " + (replies.size() + 1) + ": " + e.getMessage(), e);
    }
    if (replies.size() != expected) {
      throw new MalformedEntryException("reply: " + replies.size() + " replies (expected: " + expected + ")");
    }
    return replies;
  }

  /**
   * Decodes an entry fed in pieces (a pure class over bytes: each byte is read once, however the
   * entry is split). Not thread-safe.
   */
  public static final class Decoder {
    private final RequestDecoder requests = new RequestDecoder(LIMITS);
    private final List<Op> ops = new ArrayList<>();
    private boolean partial;

    /** Consumes every byte of {@code bytes}. */
    public void feed(ByteBuffer bytes) throws MalformedEntryException {
      try {
        while (bytes.hasRemaining()) {
          Request r = requests.next(bytes);
          if (r == null) {
            partial = true;
            return;
          }
          partial = false;
          ops.add(op(r, ops.size() + 1));
        }
      } catch (RespProtocolException e) {
        throw new MalformedEntryException("request " + (ops.size() + 1) + ": " + e.getMessage(), e);
      }
    }

    /** The ops fed so far; fails if the last one is incomplete or there are none. */
    public List<Op> finish() throws MalformedEntryException {
      if (partial) {
        throw new MalformedEntryException("request " + (ops.size() + 1) + ": cut short");
      }
      if (ops.isEmpty()) {
        throw new MalformedEntryException("entry: no requests (expected: at least one)");
      }
      return List.copyOf(ops);
    }

    private static Op op(Request r, int n) throws MalformedEntryException {
      if (r.isInline()) {
        throw new MalformedEntryException("request " + n + ": an inline line (expected: an array of bulk strings)");
      }
      List<byte[]> args = r.args();
      if (!Arrays.equals(args.get(0), ONCE_BYTES)) {
        return new Op(args, null);
      }
      if (args.size() < 5) {
        throw new MalformedEntryException("request " + n + ": ONCE with " + (args.size() - 1)
            + " arguments (expected: ONCE client seq floor command [args...])");
      }
      try {
        RequestId id = new RequestId(r.arg(1), number(r.arg(2)), number(r.arg(3)));
        return new Op(args.subList(4, args.size()), id);
      } catch (IllegalArgumentException e) {
        throw new MalformedEntryException("request " + n + ": " + e.getMessage(), e);
      }
    }

    private static long number(String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("request id number: '" + text + "' (expected: a decimal integer >= 0)", e);
      }
    }
  }
}
