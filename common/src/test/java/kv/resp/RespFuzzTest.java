package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Jazzer fuzz targets for the RESP decoders: random bytes split at random points. The request
 * decoder and the reply decoder may only return frames or throw {@link RespProtocolException};
 * how the bytes are split never changes what they decode to; the request decoder never holds
 * more than its limits allow; a decoded reply re-encodes to
 * RESP3 that decodes to it (after RESP3's one null replaced RESP2's two).
 *
 * <p>{@code mvn verify} runs each target on the committed corpus
 * ({@code src/test/resources/kv/resp/RespFuzzTestInputs/<method>/}) as a regression test; with
 * {@code JAZZER_FUZZ=1} (the {@code fuzz} profile, README "Fuzzing") one target is fuzzed.
 *
 * <p>Shown to find a planted bug: with {@code LineReader} made to throw
 * {@code IndexOutOfBoundsException} when a line starts with {@code "-7"} (a temporary change, not
 * committed), {@code JAZZER_FUZZ=1 mvn -pl common test -Dtest=RespFuzzTest#requestDecoder}
 * reported that exception within seconds, with the input written as a crash file.
 */
class RespFuzzTest {
  static final RespLimits LIMITS = new RespLimits(256, 1024, 16);
  /** What a partial request may hold under LIMITS: every argument, a partial one and a line. */
  static final long MAX_BUFFERED = (long) LIMITS.maxArrayLength() * (LIMITS.maxBulkBytes() + 2)
      + LIMITS.maxInlineBytes() + 64;

  @FuzzTest(maxDuration = "45s")
  void requestDecoder(FuzzedDataProvider data) {
    int[] cuts = cuts(data);
    byte[] input = data.consumeRemainingAsBytes();
    Outcome<String> whole = decode(new RequestDecoder(LIMITS, Set.of("PUT", "QUERY")), input, new int[0],
        RespFuzzTest::describe);
    Outcome<String> split = decode(new RequestDecoder(LIMITS, Set.of("PUT", "QUERY")), input, cuts,
        RespFuzzTest::describe);
    assertThat(split.frames()).as("requests, split at " + Arrays.toString(cuts)).isEqualTo(whole.frames());
    assertThat(split.failed()).isEqualTo(whole.failed());
  }

  @FuzzTest(maxDuration = "45s")
  void replyDecoder(FuzzedDataProvider data) {
    int[] cuts = cuts(data);
    byte[] input = data.consumeRemainingAsBytes();
    Outcome<Resp> whole = decode(new ReplyDecoder(RespLimits.DEFAULT), input, new int[0], r -> r);
    Outcome<Resp> split = decode(new ReplyDecoder(RespLimits.DEFAULT), input, cuts, r -> r);
    assertThat(split.frames()).as("replies, split at " + Arrays.toString(cuts)).isEqualTo(whole.frames());
    assertThat(split.failed()).isEqualTo(whole.failed());
    for (Resp reply : whole.frames()) {
      // RESP3 has one null where RESP2 has two (*-1 becomes _), so the first pass may normalise; after it, a fixpoint
      Resp once = reencode(reply);
      assertThat(reencode(once)).as("%s re-encoded", once).isEqualTo(once);
    }
  }

  private static Resp reencode(Resp reply) {
    byte[] encoded = RespEncoder.encode(reply, Protocol.RESP3);
    Outcome<Resp> again = decode(new ReplyDecoder(RespLimits.DEFAULT), encoded, new int[0], r -> r);
    assertThat(again.failed()).as("encoded as " + new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1))
        .isFalse();
    assertThat(again.frames()).hasSize(1);
    return again.frames().get(0);
  }

  /** What a stream decodes to: its frames, and whether it ended in a protocol error. */
  record Outcome<T>(List<T> frames, boolean failed) {}

  private static int[] cuts(FuzzedDataProvider data) {
    int[] cuts = new int[data.consumeInt(0, 6)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(0, 4096);
    }
    Arrays.sort(cuts);
    return cuts;
  }

  private static <F, T> Outcome<T> decode(IncrementalDecoder<F> decoder, byte[] input, int[] cuts, Function<F, T> view) {
    List<T> frames = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int end = i < cuts.length ? Math.min(Math.max(cuts[i], start), input.length) : input.length;
      // a fresh buffer per chunk, as the server's reads are
      ByteBuffer chunk = ByteBuffer.wrap(Arrays.copyOfRange(input, start, end));
      start = end;
      while (true) {
        F frame;
        try {
          frame = decoder.next(chunk);
        } catch (RespProtocolException e) {
          assertThat(e.getMessage()).isNotBlank();
          return new Outcome<>(frames, true);
        }
        if (decoder instanceof RequestDecoder r) {
          assertThat(r.bufferedBytes()).as("bytes held for a partial request").isBetween(0L, MAX_BUFFERED);
        }
        if (frame == null) {
          assertThat(chunk.hasRemaining()).as("a null frame consumed the chunk").isFalse();
          break;
        }
        frames.add(view.apply(frame));
      }
    }
    return new Outcome<>(frames, false);
  }

  private static String describe(Request r) {
    StringBuilder s = new StringBuilder(r.isInline() ? "inline[" + r.inlineLine() + "]" : "array");
    for (byte[] a : r.args()) {
      s.append(' ').append(Arrays.toString(a));
    }
    return s.toString();
  }
}
