package kv.record;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** jqwik generators for values, records and keys with the awkward cases weighted in. */
final class RecordArbitraries {
  private RecordArbitraries() {}

  /** Pieces that stress the printer and the reader: quotes, escapes, separators, non-BMP text. */
  private static final String[] PIECES = {
      "a", "Z", "0", "_", "-", " ", ".", ";", ",", ":", "=", "#", "/", "{", "}", "[", "]", "\"", "'", "\\",
      "\\u0041", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001f", "\u007f", "\u2028", "\u2029", "é", "名",
      "\uD83D\uDE00", "\uD800", "\uDFFF", "\uFEFF", "null", "true", "NaN", "-Infinity", "12", "1e5"};

  static Arbitrary<String> strings() {
    Arbitrary<String> pieces = Arbitraries.of(PIECES).list().ofMaxSize(8).map(l -> String.join("", l));
    return Arbitraries.frequencyOf(
        weighted(4, pieces),
        weighted(2, Arbitraries.strings().all().ofMaxLength(10)),
        weighted(2, Arbitraries.strings().alpha().numeric().withChars("_-").ofMinLength(1).ofMaxLength(8)));
  }

  /** Keys: plain words (printed bare at the top), odd strings, the empty string. */
  static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.strings().alpha().numeric().withChars("_-").ofMinLength(1).ofMaxLength(8)),
        weighted(3, strings()),
        weighted(1, Arbitraries.just("")));
  }

  static Arbitrary<Value> longs() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.longs()),
        weighted(1, Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE)))
        .map(IntValue::new);
  }

  /** Finite doubles (JSON has no NaN or Infinity; RecordRoundTripTest checks how those print). */
  static Arbitrary<Value> doubles() {
    return Arbitraries.frequencyOf(
        weighted(2, Arbitraries.doubles()),
        weighted(2, Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite)),
        weighted(2, Arbitraries.of(-0.0, 0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 1e300, 0.1, 1e21, 1e-7, 9007199254740993.0,
            (double) Long.MAX_VALUE)))
        .map(DoubleValue::new);
  }

  static Arbitrary<Value> scalars() {
    return Arbitraries.oneOf(
        strings().map(StringValue::new),
        longs(),
        doubles(),
        Arbitraries.of(BoolValue.TRUE, BoolValue.FALSE, NullValue.INSTANCE));
  }

  /** Any value, sets and lists nested at most {@code depth} levels below it. */
  static Arbitrary<Value> values(int depth) {
    if (depth == 0) {
      return scalars();
    }
    return Arbitraries.frequencyOf(
        weighted(4, scalars()),
        weighted(2, Arbitraries.lazy(() -> sets(depth - 1)).map(s -> (Value) s)),
        weighted(1, Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(4).map(ListValue::new)));
  }

  /** A set whose values nest at most {@code depth} levels further. */
  static Arbitrary<SetValue> sets(int depth) {
    return Combinators.combine(keys().list().uniqueElements().ofMaxSize(5), values(depth).list().ofSize(5))
        .as(RecordArbitraries::build);
  }

  static Arbitrary<Record> records() {
    return Combinators.combine(keys(), sets(3)).as(Record::new);
  }

  private static SetValue build(List<String> keys, List<Value> values) {
    SetValue.Builder b = SetValue.builder();
    for (int i = 0; i < keys.size(); i++) {
      b.put(keys.get(i), values.get(i));
    }
    return b.build();
  }

  private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<? extends T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }
}
