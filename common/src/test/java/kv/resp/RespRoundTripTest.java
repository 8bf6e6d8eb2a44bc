package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class RespRoundTripTest {

  @Property(tries = 300)
  void encodedRepliesDecodeToTheSameValuesWhateverTheChunking(
      @ForAll("replies") List<Resp> replies, @ForAll Random random) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Resp reply : replies) {
      RespEncoder.encode(reply, out);
    }
    List<Resp> decoded = Feed.randomChunks(out.toByteArray(), random, new ReplyDecoder(RespLimits.DEFAULT)::next);
    assertThat(decoded).isEqualTo(replies);
  }

  @Property(tries = 300)
  void encodedRequestsDecodeToTheSameArgumentsWhateverTheChunking(
      @ForAll("requests") List<List<byte[]>> requests, @ForAll Random random) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (List<byte[]> args : requests) {
      RespEncoder.encodeRequest(args, out);
    }
    List<Request> decoded = Feed.randomChunks(out.toByteArray(), random, new RequestDecoder(RespLimits.DEFAULT)::next);
    assertThat(decoded).hasSameSizeAs(requests);
    for (int i = 0; i < requests.size(); i++) {
      assertThat(Feed.hex(decoded.get(i).args())).isEqualTo(Feed.hex(requests.get(i)));
      assertThat(decoded.get(i).inlineLine()).isNull();
    }
  }

  /* Quoting as redis-cli does (sdscatrepr), then splitting, gives the arguments back. */
  @Property(tries = 300)
  void quotedInlineArgumentsSplitBackToTheArguments(@ForAll("args") List<byte[]> args, @ForAll Random random)
      throws Exception {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (byte[] arg : args) {
      line.write(random.nextBoolean() ? ' ' : '\t');
      line.write(repr(arg), 0, repr(arg).length);
    }
    line.write('\r');
    line.write('\n');
    List<Request> decoded = Feed.randomChunks(line.toByteArray(), random, new RequestDecoder(RespLimits.DEFAULT)::next);
    assertThat(decoded).hasSize(1);
    assertThat(Feed.hex(decoded.get(0).args())).isEqualTo(Feed.hex(args));
  }

  @Provide
  Arbitrary<List<Resp>> replies() {
    return resp(3).list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<List<byte[]>>> requests() {
    return args().list().ofMinSize(1).ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<byte[]>> args() {
    return Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
            Tuple.of(1, bigBytes()))
        .list().ofMinSize(1).ofMaxSize(8);
  }

  private static Arbitrary<Resp> resp(int depth) {
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("\t\u0000éΩ€中").ofMaxLength(30);
    Arbitrary<Resp> leaf = Arbitraries.oneOf(
        text.map(Resp.Simple::new),
        text.map(Resp.Error::new),
        Arbitraries.longs().map(Resp.Int::new),
        Arbitraries.longs().between(-3, 3000).map(Resp.Int::new),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(60).map(Resp.Bulk::new),
        bigBytes().map(Resp.Bulk::new),
        Arbitraries.just(Resp.NullBulk.INSTANCE),
        Arbitraries.just(Resp.NullArray.INSTANCE));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Resp> array = Arbitraries.lazy(() -> resp(depth - 1)).list().ofMaxSize(5).map(Resp.Array::new);
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array));
  }

  /* Generated from a Random: jqwik's element-wise generation of large arrays is slow. */
  private static Arbitrary<byte[]> bigBytes() {
    return Arbitraries.randomValue(random -> {
      byte[] bytes = new byte[1000 + random.nextInt(4000)];
      random.nextBytes(bytes);
      return bytes;
    });
  }

  private static byte[] repr(byte[] arg) {
    StringBuilder s = new StringBuilder("\"");
    for (byte b : arg) {
      int c = b & 0xff;
      if (c == '\\' || c == '"') {
        s.append('\\').append((char) c);
      } else if (c == '\n') {
        s.append("\\n");
      } else if (c == '\r') {
        s.append("\\r");
      } else if (c == '\t') {
        s.append("\\t");
      } else if (c == 7) {
        s.append("\\a");
      } else if (c == '\b') {
        s.append("\\b");
      } else if (c >= 0x20 && c < 0x7f) {
        s.append((char) c);
      } else {
        s.append(String.format("\\x%02x", c));
      }
    }
    return s.append('"').toString().getBytes(StandardCharsets.US_ASCII);
  }
}
