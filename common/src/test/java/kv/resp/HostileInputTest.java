package kv.resp;

import static kv.resp.Feed.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Promised lengths cost nothing until their bytes come; invalid UTF-8 is refused, never merged. */
class HostileInputTest {
  @Test
  void aPromisedBulkHoldsAtMostTheFirstChunkUntilItsBytesArrive() throws Exception {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    assertThat(decoder.bufferedBytes()).isZero();
    assertThat(decoder.next(ByteBuffer.wrap(ascii("*3\r\n$3\r\nPUT\r\n$1\r\nk\r\n$67108864\r\n")))).isNull();
    long promised = decoder.bufferedBytes();
    assertThat(promised).isGreaterThan(BulkReader.FIRST_CHUNK).isLessThan(BulkReader.FIRST_CHUNK + 1024);
    byte[] chunk = new byte[300_000];
    Arrays.fill(chunk, (byte) 'x');
    assertThat(decoder.next(ByteBuffer.wrap(chunk))).isNull();
    assertThat(decoder.bufferedBytes()).as("grows with the bytes received, at most twice them")
        .isGreaterThanOrEqualTo(300_000).isLessThan(2 * 300_000 + 1024);
  }

  @Test
  void aLargeBulkArrivesWholeAndTheDecoderHoldsNothingAfterwards() throws Exception {
    byte[] payload = new byte[1_000_003];
    new java.util.Random(7).nextBytes(payload);
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    RespEncoder.encodeRequest(java.util.List.of(ascii("ECHO"), payload), wire);
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    Request request = Feed.randomChunks(wire.toByteArray(), new java.util.Random(1), decoder::next).get(0);
    assertThat(request.args().get(1)).isEqualTo(payload);
    assertThat(decoder.bufferedBytes()).isZero();
  }

  @Test
  void aLongInlineLineCountsAndIsDroppedOnceUsed() throws Exception {
    RequestDecoder decoder = new RequestDecoder(RespLimits.DEFAULT);
    byte[] line = new byte[40_000];
    Arrays.fill(line, (byte) 'a');
    assertThat(decoder.next(ByteBuffer.wrap(line))).isNull();
    assertThat(decoder.bufferedBytes()).isGreaterThanOrEqualTo(40_000);
    assertThat(decoder.next(ByteBuffer.wrap(ascii("\r\n")))).isNotNull();
    assertThat(decoder.bufferedBytes()).isZero();
  }

  @Test
  void invalidUtf8IsRefusedNamingTheArgumentAndOffset() throws Exception {
    Request request = new RequestDecoder(RespLimits.DEFAULT)
        .next(ByteBuffer.wrap(ascii("*3\r\n$3\r\nPUT\r\n$2\r\nu\u00ff\r\n$2\r\n{}\r\n")));
    assertThatThrownBy(() -> request.arg(1))
        .isInstanceOf(InvalidUtf8Exception.class)
        .hasMessage("argument 1 of PUT: invalid UTF-8 at byte offset 1 (0xff; expected: UTF-8 text)");
    assertThat(request.arg(2)).isEqualTo("{}");
    assertThat(request.args().get(1)).containsExactly('u', 0xff);
  }

  @Test
  void validUtf8IncludingAReplacementCharacterIsText() {
    for (String text : new String[] {"", "ascii", "Καλημέρα", "中文", "\uD83D\uDE00", "a\uFFFDb", "\u0000\u007f\u0080\u07ff\u0800\uffff"}) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.firstInvalid(bytes)).as(text).isEqualTo(-1);
      assertThat(new Request(java.util.List.of(ascii("GET"), bytes), null).arg(1)).isEqualTo(text);
    }
  }

  @Test
  void everyKindOfInvalidSequenceIsFound() {
    int[][] cases = {
        {0xff}, {0xfe}, {0x80}, {0xbf}, {'a', 0xc0, 0x80}, {0xc1, 0xbf}, {0xc3}, {0xe2, 0x82}, {0xe0, 0x80, 0x80},
        {0xed, 0xa0, 0x80}, {0xf0, 0x80, 0x80, 0x80}, {0xf4, 0x90, 0x80, 0x80}, {0xf5, 0x80, 0x80, 0x80},
        {'o', 'k', 0xc3, 'x'}};
    int[] offsets = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    for (int c = 0; c < cases.length; c++) {
      byte[] bytes = new byte[cases[c].length];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) cases[c][i];
      }
      assertThat(Utf8.firstInvalid(bytes)).as("case %d", c).isEqualTo(offsets[c]);
      assertThatThrownBy(() -> Utf8.decode(bytes, 1, "GET")).isInstanceOf(InvalidUtf8Exception.class);
    }
  }
}
