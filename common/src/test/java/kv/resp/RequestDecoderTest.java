package kv.resp;

import static kv.resp.Feed.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
  private static final RespLimits SMALL = new RespLimits(16, 1024, 8);

  private static List<Request> decode(String wire) throws RespProtocolException {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    return Feed.whole(ascii(wire), decoder::next);
  }

  private static List<String> one(String wire) throws RespProtocolException {
    List<Request> requests = decode(wire);
    assertThat(requests).hasSize(1);
    return Feed.texts(requests.get(0));
  }

  private static void fails(RespLimits limits, String wire, String message) {
    RequestDecoder decoder = new RequestDecoder(limits);
    assertThatThrownBy(() -> Feed.whole(ascii(wire), decoder::next))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decodesAnArrayOfBulkStrings() throws Exception {
    List<Request> requests = decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n");
    assertThat(requests).hasSize(1);
    Request request = requests.get(0);
    assertThat(Feed.texts(request)).containsExactly("SET", "k", "hello");
    assertThat(request.isInline()).isFalse();
    assertThat(request.command()).isEqualTo("SET");
  }

  @Test
  void bulkStringsAreBinarySafe() throws Exception {
    List<Request> requests = decode("*2\r\n$4\r\nECHO\r\n$6\r\na\r\n\0\"b\r\n");
    assertThat(requests).hasSize(1);
    assertThat(Feed.texts(requests.get(0))).containsExactly("ECHO", "a\r\n\0\"b");
    assertThat(decode("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n").get(0).args().get(1)).isEmpty();
  }

  @Test
  void decodesPipelinedRequestsOneAtATimeLeavingTheRestInTheBuffer() throws Exception {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    ByteBuffer in = ByteBuffer.wrap(ascii("*1\r\n$4\r\nPING\r\nGET a\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n"));
    assertThat(Feed.texts(decoder.next(in))).containsExactly("PING");
    assertThat(in.position()).isEqualTo(14);
    assertThat(Feed.texts(decoder.next(in))).containsExactly("GET", "a");
    assertThat(Feed.texts(decoder.next(in))).containsExactly("GET", "b");
    assertThat(decoder.next(in)).isNull();
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void inlineRequestsKeepTheRawLine() throws Exception {
    List<Request> requests = decode("PUT \"person1\" : { \"name\" : \"John\" }\r\nget k\n");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).inlineLine()).isEqualTo("PUT \"person1\" : { \"name\" : \"John\" }");
    assertThat(Feed.texts(requests.get(0))).containsExactly("PUT", "person1", ":", "{", "name", ":", "John", "}");
    assertThat(requests.get(1).inlineLine()).isEqualTo("get k");
    assertThat(requests.get(1).command()).isEqualTo("GET");
  }

  @Test
  void inlineLineIsDecodedAsUtf8() throws Exception {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    Request request = decoder.next(ByteBuffer.wrap("ECHO \"Καλημέρα\"\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(request.inlineLine()).isEqualTo("ECHO \"Καλημέρα\"");
    assertThat(request.arg(1)).isEqualTo("Καλημέρα");
  }

  @Test
  void emptyAndBlankInlineLinesAndEmptyArraysAreSkipped() throws Exception {
    List<Request> requests = decode("\r\n\n   \t\r\n*0\r\n*-1\r\nPING\r\n");
    assertThat(requests).hasSize(1);
    assertThat(Feed.texts(requests.get(0))).containsExactly("PING");
  }

  @Test
  void aLineStartingWithSpaceThenStarIsInline() throws Exception {
    assertThat(one(" *1\r\n")).containsExactly("*1");
  }

  @Test
  void inlineQuotingFollowsRedis() throws Exception {
    assertThat(one("set \"foo bar\" baz\r\n")).containsExactly("set", "foo bar", "baz");
    assertThat(one("\"\\x41\\x4a\\x4A\" '\\'' \"a\\\"b\"\r\n")).containsExactly("AJJ", "'", "a\"b");
    assertThat(one("\"\\n\\r\\t\\b\\a\\\\\\q\"\n")).containsExactly("\n\r\t\b\u0007\\q");
    assertThat(one("\"\\xZZ\" \"\\x4\"\n")).containsExactly("xZZ", "x4");
    assertThat(one("a\"b c\" d\n")).containsExactly("ab c", "d");
    assertThat(one("x'' \"\"\n")).containsExactly("x", "");
    assertThat(one("'it\\'s' 'a\\nb' 'c\"d'\n")).containsExactly("it's", "a\\nb", "c\"d");
    assertThat(one("  a\t\tb  \r\n")).containsExactly("a", "b");
    assertThat(one("a\rb\r\r\n")).containsExactly("a", "b");
    assertThat(one("\u000b\u000cping a\u000bb\n")).containsExactly("ping", "a\u000bb");
    assertThat(one("\"x\"\t'y'\u000b\"z\"\n")).containsExactly("x", "y", "z");
  }

  @Test
  void unbalancedQuotesAreProtocolErrors() {
    fails(RespLimits.DEFAULT, "set \"\"\"test-key\"\"\" test-value\r\n", "unbalanced quotes");
    fails(RespLimits.DEFAULT, "get \"unterminated\r\n", "unbalanced quotes");
    fails(RespLimits.DEFAULT, "get 'unterminated\r\n", "unbalanced quotes");
    fails(RespLimits.DEFAULT, "get \"ends with backslash\\\"\r\n", "unbalanced quotes");
    fails(RespLimits.DEFAULT, "get \"a\"b\r\n", "closing quote at column 7 followed by 'b' (expected: whitespace or the end of the line)");
    fails(RespLimits.DEFAULT, "get 'a'b\r\n", "unbalanced quotes");
  }

  @Test
  void rawLineCommandsTakeTheRestOfTheLineAsOneArgument() throws Exception {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT, Set.of("PUT"));
    List<Request> requests = Feed.whole(ascii("put  \"k\":{\"a\":[\"x\",\"y\"]}  \r\nPUT\r\nGET \"k\"\r\n"), decoder::next);
    assertThat(Feed.texts(requests.get(0))).containsExactly("put", "\"k\":{\"a\":[\"x\",\"y\"]}");
    assertThat(requests.get(0).inlineLine()).isEqualTo("put  \"k\":{\"a\":[\"x\",\"y\"]}  ");
    assertThat(Feed.texts(requests.get(1))).containsExactly("PUT");
    assertThat(Feed.texts(requests.get(2))).containsExactly("GET", "k");
  }

  @Test
  void inlineLineLimitCountsContentWithoutTheLineEnding() throws Exception {
    String sixteen = "ECHO 01234567890";
    assertThat(Feed.whole(ascii(sixteen + "\r\n"), new RequestDecoder(SMALL)::next)).hasSize(1);
    assertThat(Feed.whole(ascii(sixteen + "\n"), new RequestDecoder(SMALL)::next)).hasSize(1);
    fails(SMALL, sixteen + "x\n", "inline request too long: more than 16 bytes (expected: <= 16)");
    fails(SMALL, sixteen + "\rx", "inline request too long");
  }

  @Test
  void inlineLineWithoutNewlineFailsAsSoonAsItPassesTheLimit() throws Exception {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    byte[] chunk = new byte[65536];
    java.util.Arrays.fill(chunk, (byte) 'a');
    assertThat(decoder.next(ByteBuffer.wrap(chunk))).isNull();
    assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(ascii("bc"))))
        .isInstanceOf(RespProtocolException.class)
        .hasMessage("inline request too long: more than 65536 bytes (expected: <= 65536)");
  }

  @Test
  void malformedArraysNameWhatWasExpectedAndWhatCame() {
    fails(RespLimits.DEFAULT, "*1\r\n:5\r\n", "expected '$', got ':'");
    fails(RespLimits.DEFAULT, "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "array element 3 of 3: expected '$', got 'f'");
    fails(RespLimits.DEFAULT, "*1\r\nfoo=bar\r\n", "expected '$', got 'f'");
    fails(RespLimits.DEFAULT, "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "bulk length: -10 (expected: 0..67108864)");
    fails(RespLimits.DEFAULT, "*1\r\n$-1\r\n", "bulk length: -1");
    fails(RespLimits.DEFAULT, "*1\r\n$blabla\r\n", "bulk length: expected a decimal integer then \\r\\n, got 'b'");
    fails(RespLimits.DEFAULT, "*1\r\n$\r\n", "bulk length: expected a decimal integer then \\r\\n, got '\\r'");
    fails(RespLimits.DEFAULT, "*1\r\n$1x\r\n", "got 'x' after \"1\"");
    fails(RespLimits.DEFAULT, "*1\r\n$1\rx", "bulk length: expected '\\n' after '\\r', got 'x'");
    fails(RespLimits.DEFAULT, "*1\r\n$3\r\nabcd\r\n", "bulk string of length 3: expected '\\r' after the 3 bytes of data, got 'd'");
    fails(RespLimits.DEFAULT, "*1\r\n$3\r\nabc\rd", "expected '\\n' after '\\r', got 'd'");
    fails(RespLimits.DEFAULT, "*-2\r\n", "array length: -2 (expected: -1..1048576)");
    fails(RespLimits.DEFAULT, "*3000000000\r\n", "array length: 3000000000");
    fails(RespLimits.DEFAULT, "*99999999999999999999\r\n", "out of range");
    fails(RespLimits.DEFAULT, "*1-\r\n", "array length: expected a decimal integer then \\r\\n, got '-' after \"1\"");
    fails(RespLimits.DEFAULT, "*1\r\n$\u0000", "got 0x00");
  }

  @Test
  void limitsAreCheckedAsSoonAsTheHeaderArrives() {
    RequestDecoder decoder = new RequestDecoder(SMALL);
    assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(ascii("*1\r\n$2000000000\r\n"))))
        .isInstanceOf(RespProtocolException.class)
        .hasMessage("bulk length: 2000000000 (expected: 0..1024)");
    fails(SMALL, "*9\r\n", "array length: 9 (expected: -1..8)");
    fails(SMALL, "*1\r\n$1025\r\n", "bulk length: 1025 (expected: 0..1024)");
  }

  @Test
  void aHugeAnnouncedArrayWaitsForItsElements() throws Exception {
    // What it allocates meanwhile (only with the elements received, not 1M references for the
    // header) is measured in bench/jmh: RequestDecoderBenchmark.hugeAnnouncedArray with -prof gc.
    byte[] wire = ascii("*1048576\r\n$1\r\nx\r\n");
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    assertThat(decoder.next(ByteBuffer.wrap(wire))).isNull();
    assertThat(decoder.next(ByteBuffer.wrap(ascii("$1\r\ny\r\n")))).isNull();
  }

  @Test
  void theDecoderIsUnusableAfterAProtocolError() {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(ascii("*1\r\n:5\r\n")))).isInstanceOf(RespProtocolException.class);
    assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(ascii("PING\r\n"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected '$', got ':'");
  }

  @Test
  void everySplitPositionAndOneByteAtATimeGiveTheSameRequests() throws Exception {
    String wire = "*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n\r\nSET \"a b\" 'c'\r\n*0\r\n*1\r\n$0\r\n\r\nPING\n"
        + "*3\r\n$4\r\nECHO\r\n$12\r\nline\r\nbreak!\r\n$1\r\n\0\r\n";
    byte[] bytes = ascii(wire);
    List<List<String>> expected = List.of(
        List.of("GET", "abc"), List.of("SET", "a b", "c"), List.of(""), List.of("PING"),
        List.of("ECHO", "line\r\nbreak!", "\0"));
    assertThat(texts(Feed.whole(bytes, new RequestDecoder(RespLimits.DEFAULT)::next))).isEqualTo(expected);
    assertThat(texts(Feed.growing(bytes, new RequestDecoder(RespLimits.DEFAULT)::next))).isEqualTo(expected);
    assertThat(texts(Feed.oneByteBuffers(bytes, new RequestDecoder(RespLimits.DEFAULT)::next))).isEqualTo(expected);
    for (int i = 0; i <= bytes.length; i++) {
      for (int j = i; j <= bytes.length; j += 7) {
        List<Request> got = Feed.chunked(bytes, new int[] {i, j}, new RequestDecoder(RespLimits.DEFAULT)::next);
        assertThat(texts(got)).as("cut at %d and %d", i, j).isEqualTo(expected);
      }
    }
  }

  @Test
  void aLargeBulkArrivingOneByteAtATimeIsCopiedNotReparsed() throws Exception {
    int size = 1 << 20;
    byte[] payload = new byte[size];
    new java.util.Random(1).nextBytes(payload);
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    RespEncoder.encodeRequest(List.of(ascii("SET"), ascii("k"), payload), wire);
    // That this takes time linear in the size is measured in bench/jmh:
    // RequestDecoderBenchmark.largeBulkOneByteAtATime.
    List<Request> got = Feed.oneByteBuffers(wire.toByteArray(), new RequestDecoder(RespLimits.DEFAULT)::next);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).args().get(2)).isEqualTo(payload);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new RespLimits(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInlineBytes: 0 (expected: 1..2147483631)");
    assertThatThrownBy(() -> new RespLimits(1, 1, Integer.MAX_VALUE)).hasMessageStartingWith("maxArrayLength: 2147483647");
  }

  private static List<List<String>> texts(List<Request> requests) {
    List<List<String>> out = new ArrayList<>();
    for (Request r : requests) {
      out.add(Feed.texts(r));
    }
    return out;
  }
}
