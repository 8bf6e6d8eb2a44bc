package kv.resp;

import static kv.resp.Feed.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RESP3 types in the ReplyDecoder, and the encoder's RESP3 and RESP2 forms of them. */
class Resp3DecoderTest {
  /* One of each RESP3 type, nested, with the values it must decode to. */
  private static final String WIRE = "_\r\n#t\r\n#f\r\n,1.5\r\n,-2\r\n,1e10\r\n,inf\r\n,-inf\r\n(3492890328409238509324850943850943825024385\r\n"
      + "!21\r\nSYNTAX invalid syntax\r\n=15\r\ntxt:Some string\r\n=4\r\nmkd:\r\n"
      + "%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*2\r\n_\r\n%0\r\n"
      + "~3\r\n:1\r\n#f\r\n~0\r\n>2\r\n$7\r\nmessage\r\n$3\r\nhi!\r\n"
      + "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2\r\n|1\r\n+ttl\r\n:3600\r\n:3\r\n"
      + "|0\r\n+after empty attribute\r\n";

  private static List<Resp> expected() {
    return List.of(Resp.NullBulk.INSTANCE, Resp.Bool.TRUE, Resp.Bool.FALSE, new Resp.Double(1.5), new Resp.Double(-2),
        new Resp.Double(1e10), new Resp.Double(Double.POSITIVE_INFINITY), new Resp.Double(Double.NEGATIVE_INFINITY),
        new Resp.BigNumber(new BigInteger("3492890328409238509324850943850943825024385")),
        new Resp.Error("SYNTAX invalid syntax"), new Resp.Verbatim("txt", "Some string"), new Resp.Verbatim("mkd", ""),
        new Resp.Map(List.of(new Resp.Pair(new Resp.Simple("first"), new Resp.Int(1)),
            new Resp.Pair(Resp.Bulk.of("second"), new Resp.Array(List.of(Resp.NullBulk.INSTANCE, new Resp.Map(List.of())))))),
        new Resp.Set(List.of(new Resp.Int(1), Resp.Bool.FALSE, new Resp.Set(List.of()))),
        new Resp.Push(List.of(Resp.Bulk.of("message"), Resp.Bulk.of("hi!"))),
        new Resp.Array(List.of(new Resp.Int(2), new Resp.Int(3))),
        new Resp.Simple("after empty attribute"));
  }

  private static List<Resp> decode(String wire) throws RespProtocolException {
    return Feed.whole(ascii(wire), new ReplyDecoder(RespLimits.DEFAULT)::next);
  }

  private static void fails(String wire, String message) {
    ReplyDecoder decoder = new ReplyDecoder(RespLimits.DEFAULT);
    assertThatThrownBy(() -> Feed.whole(ascii(wire), decoder::next))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decodesEveryResp3TypeAndDropsAttributes() throws Exception {
    assertThat(decode(WIRE)).isEqualTo(expected());
    assertThat(((Resp.Map) expected().get(12)).get("second")).isEqualTo(new Resp.Array(
        List.of(Resp.NullBulk.INSTANCE, new Resp.Map(List.of()))));
    assertThat(((Resp.Map) expected().get(12)).get("first")).isEqualTo(new Resp.Int(1));
    assertThat(decode(",nan\r\n")).containsExactly(new Resp.Double(Double.NaN));
  }

  @Test
  void everySplitPositionAndOneByteAtATimeGiveTheSameReplies() throws Exception {
    byte[] bytes = ascii(WIRE);
    List<Resp> expected = expected();
    assertThat(Feed.growing(bytes, new ReplyDecoder(RespLimits.DEFAULT)::next)).isEqualTo(expected);
    assertThat(Feed.oneByteBuffers(bytes, new ReplyDecoder(RespLimits.DEFAULT)::next)).isEqualTo(expected);
    for (int i = 0; i <= bytes.length; i++) {
      for (int j = i; j <= bytes.length; j += 11) {
        List<Resp> got = Feed.chunked(bytes, new int[] {i, j}, new ReplyDecoder(RespLimits.DEFAULT)::next);
        assertThat(got).as("cut at %d and %d", i, j).isEqualTo(expected);
      }
    }
  }

  @Test
  void malformedResp3IsAProtocolErrorNamingWhatWasExpected() {
    fails("_x\r\n", "null: 'x' (expected: nothing between '_' and \\r\\n)");
    fails("#x\r\n", "boolean: 'x' (expected: t or f)");
    fails(",1.2.3\r\n", "double: '1.2.3' (expected: a decimal number, inf, -inf or nan)");
    fails(",0x10\r\n", "double: '0x10'");
    fails(",Infinity\r\n", "double: 'Infinity'");
    fails("(12a\r\n", "big number: '12a' (expected: an integer in decimal)");
    fails("=3\r\ntxt\r\n", "verbatim string length: 3 (expected: 4..67108864)");
    fails("=5\r\ntxt-x\r\n", "verbatim string: expected ':' after the 3-byte format, got '-'");
    fails("=-1\r\n", "verbatim string length: -1");
    fails("!-1\r\n", "blob error length: -1 (expected: 0..");
    fails("%-1\r\n", "map length: -1 (expected: 0..1048576)");
    fails("~-1\r\n", "set length: -1");
    fails("%2000000\r\n", "map length: 2000000");
    fails("$?\r\n", "bulk length: expected a decimal integer then \\r\\n, got '?'");
    fails("*?\r\n", "array length: expected a decimal integer then \\r\\n, got '?'");
    fails("#t\n", "boolean: expected '\\r' before '\\n'");
  }

  @Test
  void mapsCountTheirPairsAgainstTheNestingLimitAndLengthLimit() throws Exception {
    RespLimits small = new RespLimits(64, 64, 2);
    assertThat(Feed.whole(ascii("%2\r\n:1\r\n:2\r\n:3\r\n:4\r\n"), new ReplyDecoder(small)::next)).hasSize(1);
    ReplyDecoder decoder = new ReplyDecoder(small);
    assertThatThrownBy(() -> Feed.whole(ascii("%3\r\n"), decoder::next)).hasMessage("map length: 3 (expected: 0..2)");
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i <= ReplyDecoder.MAX_DEPTH; i++) {
      deep.append(i % 2 == 0 ? "%1\r\n:1\r\n" : "~1\r\n");
    }
    fails(deep.toString(), "nesting: more than 512 levels");
  }

  @Test
  void encoderWritesResp3AndDowngradesForResp2AsRedis() {
    Resp hello = Resp.Map.of("proto", new Resp.Int(3), "modules", new Resp.Array(List.of()));
    assertThat(wire(hello, Protocol.RESP3)).isEqualTo("%2\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n");
    assertThat(wire(hello, Protocol.RESP2)).isEqualTo("*4\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n");
    assertThat(wire(Resp.NullBulk.INSTANCE, Protocol.RESP3)).isEqualTo("_\r\n");
    assertThat(wire(Resp.NullArray.INSTANCE, Protocol.RESP3)).isEqualTo("_\r\n");
    assertThat(wire(Resp.NullBulk.INSTANCE, Protocol.RESP2)).isEqualTo("$-1\r\n");
    assertThat(wire(Resp.NullArray.INSTANCE, Protocol.RESP2)).isEqualTo("*-1\r\n");
    assertThat(wire(Resp.Bool.TRUE, Protocol.RESP3)).isEqualTo("#t\r\n");
    assertThat(wire(Resp.Bool.FALSE, Protocol.RESP2)).isEqualTo(":0\r\n");
    assertThat(wire(Resp.Bool.TRUE, Protocol.RESP2)).isEqualTo(":1\r\n");
    assertThat(wire(new Resp.Double(1.5), Protocol.RESP3)).isEqualTo(",1.5\r\n");
    assertThat(wire(new Resp.Double(1.5), Protocol.RESP2)).isEqualTo("$3\r\n1.5\r\n");
    assertThat(wire(new Resp.Double(Double.NEGATIVE_INFINITY), Protocol.RESP3)).isEqualTo(",-inf\r\n");
    assertThat(wire(new Resp.Double(Double.NaN), Protocol.RESP2)).isEqualTo("$3\r\nnan\r\n");
    assertThat(wire(new Resp.BigNumber(BigInteger.TEN.pow(20)), Protocol.RESP3)).isEqualTo("(100000000000000000000\r\n");
    assertThat(wire(new Resp.BigNumber(BigInteger.TEN.pow(20)), Protocol.RESP2))
        .isEqualTo("$21\r\n100000000000000000000\r\n");
    assertThat(wire(Resp.Verbatim.text("a:b\r\n"), Protocol.RESP3)).isEqualTo("=9\r\ntxt:a:b\r\n\r\n");
    assertThat(wire(Resp.Verbatim.text("a:b\r\n"), Protocol.RESP2)).isEqualTo("$5\r\na:b\r\n\r\n");
    assertThat(wire(new Resp.Set(List.of(new Resp.Simple("x"))), Protocol.RESP3)).isEqualTo("~1\r\n+x\r\n");
    assertThat(wire(new Resp.Set(List.of(new Resp.Simple("x"))), Protocol.RESP2)).isEqualTo("*1\r\n+x\r\n");
    assertThat(wire(new Resp.Push(List.of(new Resp.Int(1))), Protocol.RESP3)).isEqualTo(">1\r\n:1\r\n");
    assertThat(wire(new Resp.Push(List.of(new Resp.Int(1))), Protocol.RESP2)).isEqualTo("*1\r\n:1\r\n");
    Resp nested = new Resp.Array(List.of(Resp.Map.of("k", Resp.NullBulk.INSTANCE)));
    assertThat(wire(nested, Protocol.RESP3)).isEqualTo("*1\r\n%1\r\n$1\r\nk\r\n_\r\n");
    assertThat(wire(nested, Protocol.RESP2)).isEqualTo("*1\r\n*2\r\n$1\r\nk\r\n$-1\r\n");
    assertThat(wire(Resp.OK, Protocol.RESP3)).isEqualTo("+OK\r\n");
    assertThatThrownBy(() -> new Resp.Verbatim("text", "x")).hasMessageContaining("format: 'text'");
  }

  private static String wire(Resp value, Protocol protocol) {
    return new String(RespEncoder.encode(value, protocol), java.nio.charset.StandardCharsets.UTF_8);
  }
}
