package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.broker.testing.FakeEngine;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz target for the HTTP port's request handling: random bytes, split at random points,
 * through the port's own pipeline (Netty's codec with the port's limits, {@link BodyLimit},
 * {@link HttpConnection}, {@link HttpApi}) over an in-memory engine on an {@link EmbeddedChannel}.
 * Nothing may escape the pipeline, no answer may be a 500 (an internal error is a bug: bad input
 * is a 4xx), and how the bytes are split never changes the answers.
 *
 * <p>{@code mvn verify} runs it on the committed corpus
 * ({@code src/test/resources/kv/broker/http/HttpFuzzTestInputs/requests/}); with
 * {@code JAZZER_FUZZ=1} (the {@code fuzz} profile, README "Fuzzing") it is fuzzed.
 *
 * <p>Shown to find a planted bug: with {@code UriPath.segments} made to throw
 * {@code StringIndexOutOfBoundsException} for a segment that starts with {@code "%7"} (a temporary
 * change, not committed), {@code JAZZER_FUZZ=1 mvn -pl kvBroker -am test -Dtest=HttpFuzzTest}
 * reported a 500 answer within seconds.
 */
class HttpFuzzTest {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

  @FuzzTest(maxDuration = "45s")
  void requests(FuzzedDataProvider data) {
    int[] cuts = new int[data.consumeInt(0, 6)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(0, 2048);
    }
    Arrays.sort(cuts);
    byte[] input = data.consumeRemainingAsBytes();
    List<Integer> whole = answers(input, new int[0]);
    List<Integer> split = answers(input, cuts);
    assertThat(whole).as("answers").doesNotContain(500);
    assertThat(split).as("answers with the input split at " + Arrays.toString(cuts)).isEqualTo(whole);
  }

  /** The harness itself: pipelined requests get their answers, in order, however they are cut. */
  @Test
  void theHarnessSeesTheAnswers() {
    byte[] input = ("POST /keys/k HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n"
        + "{\"type\":\"PUT\",\"value\":{\"a\":1}}GET /keys/k HTTP/1.1\r\n\r\nGET /keys/%zz HTTP/1.1\r\n\r\n"
        + "GET /keys/nobody HTTP/1.1\r\nConnection: close\r\n\r\nGET /keys/k HTTP/1.1\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(answers(input, new int[0])).containsExactly(204, 200, 400, 404);
    assertThat(answers(input, new int[] {1, 30, 31, 100, 101})).containsExactly(204, 200, 400, 404);
  }

  /** The status codes of the answers to {@code input} fed in pieces cut at {@code cuts}. */
  private static List<Integer> answers(byte[] input, int[] cuts) {
    FakeEngine engine = new FakeEngine();
    engine.synchronous = true;
    HttpApi api = new HttpApi(engine, "eventual", Duration.ofSeconds(5), CLOCK, 1024);
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<EmbeddedChannel>() {
      @Override
      protected void initChannel(EmbeddedChannel ch) {
        HttpFrontEnd.serve(ch.pipeline(), api);
      }
    });
    int from = 0;
    for (int cut : cuts) {
      int to = Math.min(cut, input.length);
      if (to > from && channel.isOpen()) {
        feed(channel, Arrays.copyOfRange(input, from, to));
        from = to;
      }
    }
    if (from < input.length && channel.isOpen()) {
      feed(channel, Arrays.copyOfRange(input, from, input.length));
    }
    channel.finish();
    StringBuilder out = new StringBuilder();
    for (Object o; (o = channel.readOutbound()) != null; ) {
      if (o instanceof ByteBuf b) {
        out.append(b.toString(StandardCharsets.ISO_8859_1));
        b.release();
      }
    }
    List<Integer> statuses = new ArrayList<>();
    Matcher m = STATUS.matcher(out);
    while (m.find()) {
      statuses.add(Integer.parseInt(m.group(1)));
    }
    return statuses;
  }

  private static void feed(EmbeddedChannel channel, byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    channel.runPendingTasks();
    channel.checkException();
  }
}
