package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Test helper: feeds bytes to a decoder in chunks, checking the usage contract on the way. */
final class Feed {
  interface Step<T> {
    T next(ByteBuffer in) throws RespProtocolException;
  }

  private Feed() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Everything decodable from {@code bytes} cut at the given ascending positions. */
  static <T> List<T> chunked(byte[] bytes, int[] cuts, Step<T> step) throws RespProtocolException {
    List<T> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : bytes.length;
      drain(ByteBuffer.wrap(bytes, from, to - from), step, out);
      from = to;
    }
    return out;
  }

  static <T> List<T> whole(byte[] bytes, Step<T> step) throws RespProtocolException {
    return chunked(bytes, new int[0], step);
  }

  /** One buffer whose limit grows by one byte per call (Okio's ONE_BYTE_AT_A_TIME). */
  static <T> List<T> growing(byte[] bytes, Step<T> step) throws RespProtocolException {
    List<T> out = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    for (int limit = 1; limit <= bytes.length; limit++) {
      buf.limit(limit);
      drain(buf, step, out);
    }
    return out;
  }

  /** A fresh 1-byte buffer per call. */
  static <T> List<T> oneByteBuffers(byte[] bytes, Step<T> step) throws RespProtocolException {
    List<T> out = new ArrayList<>();
    for (byte b : bytes) {
      drain(ByteBuffer.wrap(new byte[] {b}), step, out);
    }
    return out;
  }

  static <T> List<T> randomChunks(byte[] bytes, Random random, Step<T> step) throws RespProtocolException {
    List<T> out = new ArrayList<>();
    int from = 0;
    int maxChunk = 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
    while (from < bytes.length) {
      int n = Math.min(bytes.length - from, 1 + random.nextInt(maxChunk));
      drain(ByteBuffer.wrap(bytes, from, n), step, out);
      from += n;
    }
    return out;
  }

  private static <T> void drain(ByteBuffer buf, Step<T> step, List<T> out) throws RespProtocolException {
    T value;
    while ((value = step.next(buf)) != null) {
      out.add(value);
    }
    assertThat(buf.hasRemaining()).as("null returned only after consuming every byte").isFalse();
  }

  static List<String> hex(List<byte[]> args) {
    List<String> out = new ArrayList<>();
    for (byte[] a : args) {
      out.add(HexFormat.of().formatHex(a));
    }
    return out;
  }

  static List<String> texts(Request request) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < request.size(); i++) {
      out.add(request.arg(i));
    }
    return out;
  }
}
