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

  /* RESP3 keeps every type (both nulls read back as NullBulk); RESP2 is RESP3 downgraded. */
  @Property(tries = 300)
  void resp3RepliesDecodeToTheSameValuesWhateverTheChunking(
      @ForAll("replies3") List<Resp> replies, @ForAll Random random) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    for (Resp reply : replies) {
      RespEncoder.encode(reply, Protocol.RESP3, out);
      RespEncoder.encode(reply, Protocol.RESP2, out2);
    }
    List<Resp> decoded = Feed.randomChunks(out.toByteArray(), random, new ReplyDecoder(RespLimits.DEFAULT)::next);
    assertThat(decoded).isEqualTo(replies.stream().map(RespRoundTripTest::resp3View).toList());
    List<Resp> decoded2 = Feed.randomChunks(out2.toByteArray(), random, new ReplyDecoder(RespLimits.DEFAULT)::next);
    assertThat(decoded2).isEqualTo(replies.stream().map(RespRoundTripTest::resp2View).toList());
  }

  /** What a RESP3 reader gets back: the null array becomes the one null. */
  private static Resp resp3View(Resp r) {
    if (r == Resp.NullArray.INSTANCE) {
      return Resp.NullBulk.INSTANCE;
    } else if (r instanceof Resp.Array a) {
      return new Resp.Array(a.items().stream().map(RespRoundTripTest::resp3View).toList());
    } else if (r instanceof Resp.Set a) {
      return new Resp.Set(a.items().stream().map(RespRoundTripTest::resp3View).toList());
    } else if (r instanceof Resp.Push a) {
      return new Resp.Push(a.items().stream().map(RespRoundTripTest::resp3View).toList());
    } else if (r instanceof Resp.Map m) {
      return new Resp.Map(m.pairs().stream().map(p -> new Resp.Pair(resp3View(p.key()), resp3View(p.value()))).toList());
    }
    return r;
  }

  /** What a RESP2 reader gets back: Redis's RESP2 forms of the RESP3 types. */
  private static Resp resp2View(Resp r) {
    if (r instanceof Resp.Array a) {
      return new Resp.Array(a.items().stream().map(RespRoundTripTest::resp2View).toList());
    } else if (r instanceof Resp.Set a) {
      return new Resp.Array(a.items().stream().map(RespRoundTripTest::resp2View).toList());
    } else if (r instanceof Resp.Push a) {
      return new Resp.Array(a.items().stream().map(RespRoundTripTest::resp2View).toList());
    } else if (r instanceof Resp.Map m) {
      List<Resp> flat = new java.util.ArrayList<>();
      m.pairs().forEach(p -> {
        flat.add(resp2View(p.key()));
        flat.add(resp2View(p.value()));
      });
      return new Resp.Array(flat);
    } else if (r instanceof Resp.Bool b) {
      return new Resp.Int(b.value() ? 1 : 0);
    } else if (r instanceof Resp.Double d) {
      return Resp.Bulk.of(RespEncoder.doubleText(d.value()));
    } else if (r instanceof Resp.BigNumber n) {
      return Resp.Bulk.of(n.value().toString());
    } else if (r instanceof Resp.Verbatim v) {
      return Resp.Bulk.of(v.text());
    }
    return r;
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
  Arbitrary<List<Resp>> replies3() {
    return resp3(3).list().ofMinSize(1).ofMaxSize(6);
  }

  private static Arbitrary<Resp> resp3(int depth) {
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("\t\r\n\u0000éΩ€中").ofMaxLength(30);
    Arbitrary<Resp> leaf = Arbitraries.oneOf(
        resp(0),
        Arbitraries.of(true, false).map(Resp.Bool::new),
        Arbitraries.doubles().map(Resp.Double::new),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e300, 4.9e-324)
            .map(Resp.Double::new),
        Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
            new java.math.BigInteger("1" + "0".repeat(40))).map(Resp.BigNumber::new),
        Arbitraries.of("txt", "mkd").flatMap(f -> text.map(t -> new Resp.Verbatim(f, t))));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<List<Resp>> items = Arbitraries.lazy(() -> resp3(depth - 1)).list().ofMaxSize(4);
    Arbitrary<Resp> aggregate = Arbitraries.oneOf(
        items.map(Resp.Array::new), items.map(Resp.Set::new), items.map(Resp.Push::new),
        Arbitraries.lazy(() -> resp3(depth - 1)).list().ofMaxSize(6).map(l -> {
          List<Resp.Pair> pairs = new java.util.ArrayList<>();
          for (int i = 0; i + 1 < l.size(); i += 2) {
            pairs.add(new Resp.Pair(l.get(i), l.get(i + 1)));
          }
          return new Resp.Map(pairs);
        }));
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, aggregate));
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
