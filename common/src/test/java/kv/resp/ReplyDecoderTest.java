package kv.resp;

import static kv.resp.Feed.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyDecoderTest {
  private static final RespLimits SMALL = new RespLimits(8, 16, 4);

  private static List<Resp> decode(String wire) throws RespProtocolException {
    return Feed.whole(ascii(wire), new ReplyDecoder(RespLimits.DEFAULT)::next);
  }

  private static void fails(RespLimits limits, String wire, String message) {
    ReplyDecoder decoder = new ReplyDecoder(limits);
    assertThatThrownBy(() -> Feed.whole(ascii(wire), decoder::next))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decodesEveryType() throws Exception {
    assertThat(decode("+OK\r\n-ERR no such key\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n+\r\n"))
        .containsExactly(Resp.OK, new Resp.Error("ERR no such key"), new Resp.Int(42), new Resp.Int(-7),
            Resp.Bulk.of("hello"), Resp.Bulk.of(""), Resp.NullBulk.INSTANCE, Resp.NullArray.INSTANCE,
            new Resp.Array(List.of()), new Resp.Simple(""));
  }

  @Test
  void integersCoverTheWholeLongRange() throws Exception {
    assertThat(decode(":9223372036854775807\r\n:-9223372036854775808\r\n:007\r\n:-0\r\n"))
        .containsExactly(new Resp.Int(Long.MAX_VALUE), new Resp.Int(Long.MIN_VALUE), new Resp.Int(7), new Resp.Int(0));
    fails(RespLimits.DEFAULT, ":9223372036854775808\r\n", "integer: out of range after \"9223372036854775808\" (expected: a 64-bit signed integer)");
    fails(RespLimits.DEFAULT, ":-9223372036854775809\r\n", "out of range after \"-922337203685477580\"");
    fails(RespLimits.DEFAULT, ":12a\r\n", "integer: expected a decimal integer then \\r\\n, got 'a' after \"12\"");
    fails(RespLimits.DEFAULT, ":-\r\n", "got '\\r' after \"-\"");
    fails(RespLimits.DEFAULT, ":--1\r\n", "got '-' after \"-\"");
  }

  @Test
  void decodesNestedArraysWithNullsInside() throws Exception {
    List<Resp> got = decode("*3\r\n:1\r\n*2\r\n$-1\r\n*1\r\n*-1\r\n$3\r\nabc\r\n:2\r\n");
    assertThat(got).containsExactly(
        new Resp.Array(List.of(new Resp.Int(1),
            new Resp.Array(List.of(Resp.NullBulk.INSTANCE, new Resp.Array(List.of(Resp.NullArray.INSTANCE)))),
            Resp.Bulk.of("abc"))),
        new Resp.Int(2));
  }

  @Test
  void versionedReplyOfTheServer() throws Exception {
    assertThat(decode("*2\r\n:1700000000000\r\n$-1\r\n"))
        .containsExactly(new Resp.Array(List.of(new Resp.Int(1700000000000L), Resp.NullBulk.INSTANCE)));
  }

  @Test
  void returnsOneReplyPerCallLeavingTheRestInTheBuffer() throws Exception {
    ReplyDecoder decoder = new ReplyDecoder(RespLimits.DEFAULT);
    ByteBuffer in = ByteBuffer.wrap(ascii("+PONG\r\n:1\r\n*1\r\n$1\r\n"));
    assertThat(decoder.next(in)).isEqualTo(new Resp.Simple("PONG"));
    assertThat(in.position()).isEqualTo(7);
    assertThat(decoder.next(in)).isEqualTo(new Resp.Int(1));
    assertThat(decoder.next(in)).isNull();
    assertThat(in.hasRemaining()).isFalse();
    assertThat(decoder.next(ByteBuffer.wrap(ascii("x\r\n")))).isEqualTo(new Resp.Array(List.of(Resp.Bulk.of("x"))));
  }

  @Test
  void everySplitPositionGivesTheSameReplies() throws Exception {
    String wire = "*2\r\n*2\r\n:1\r\n:2\r\n$3\r\nabc\r\n+OK\r\n-ERR x\r\n*3\r\n$0\r\n\r\n*0\r\n*-1\r\n$-1\r\n"
        + "$4\r\n\r\n\r\n\r\n:-12\r\n";
    byte[] bytes = ascii(wire);
    List<Resp> expected = decode(wire);
    assertThat(expected).hasSize(7);
    assertThat(Feed.growing(bytes, new ReplyDecoder(RespLimits.DEFAULT)::next)).isEqualTo(expected);
    assertThat(Feed.oneByteBuffers(bytes, new ReplyDecoder(RespLimits.DEFAULT)::next)).isEqualTo(expected);
    for (int i = 0; i <= bytes.length; i++) {
      for (int j = i; j <= bytes.length; j += 5) {
        List<Resp> got = Feed.chunked(bytes, new int[] {i, j}, new ReplyDecoder(RespLimits.DEFAULT)::next);
        assertThat(got).as("cut at %d and %d", i, j).isEqualTo(expected);
      }
    }
  }

  @Test
  void garbageIsAProtocolError() {
    fails(RespLimits.DEFAULT, "hello\r\n", "reply type: expected one of '+', '-', ':', '$', '*' or a RESP3 type");
    fails(RespLimits.DEFAULT, "hello\r\n", "got 'h'");
    fails(RespLimits.DEFAULT, "\u00ff", "got 0xff");
    fails(RespLimits.DEFAULT, "+OK\n", "simple string: expected '\\r' before '\\n', got 'K'");
    fails(RespLimits.DEFAULT, "-\n", "error reply: expected '\\r' before '\\n', got nothing");
    fails(RespLimits.DEFAULT, "$3\r\nabcd", "expected '\\r' after the 3 bytes of data, got 'd'");
    fails(RespLimits.DEFAULT, "$-2\r\n", "bulk length: -2 (expected: -1..67108864)");
    fails(RespLimits.DEFAULT, "*-2\r\n", "array length: -2 (expected: -1..1048576)");
    fails(RespLimits.DEFAULT, "*2\r\n:1\r\n?", "got '?'");
  }

  @Test
  void limitsAreCheckedBeforeAllocating() {
    ReplyDecoder decoder = new ReplyDecoder(SMALL);
    assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(ascii("$2000000000\r\n"))))
        .isInstanceOf(RespProtocolException.class)
        .hasMessage("bulk length: 2000000000 (expected: -1..16)");
    fails(SMALL, "*5\r\n", "array length: 5 (expected: -1..4)");
    fails(SMALL, "+123456789\r\n", "simple string too long: more than 8 bytes (expected: <= 8)");
    fails(SMALL, "-123456789", "error reply too long");
    assertThatThrownBy(() -> decoder.next(ByteBuffer.wrap(ascii("+OK\r\n")))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() throws Exception {
    StringBuilder ok = new StringBuilder();
    for (int i = 0; i < ReplyDecoder.MAX_DEPTH; i++) {
      ok.append("*1\r\n");
    }
    assertThat(decode(ok + ":1\r\n")).hasSize(1);
    fails(RespLimits.DEFAULT, ok + "*1\r\n", "nesting: more than 512 levels of aggregates (expected: <= 512)");
  }

  @Test
  void simpleStringsAreUtf8() throws Exception {
    ReplyDecoder decoder = new ReplyDecoder(RespLimits.DEFAULT);
    Resp got = decoder.next(ByteBuffer.wrap("+Καλημέρα\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(got).isEqualTo(new Resp.Simple("Καλημέρα"));
  }
}
