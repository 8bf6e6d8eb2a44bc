package kv.server.durable;

import java.util.List;
import kv.record.BoolValue;
import kv.record.DoubleValue;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators for record values, including awkward strings and doubles. */
final class Values {
  private Values() {}

  static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().ofMaxLength(6),
        Arbitraries.strings().all().ofMaxLength(6)); // any UTF-16 unit, lone surrogates too
  }

  static Arbitrary<SetValue> sets(int depth) {
    Arbitrary<Tuple.Tuple2<String, Value>> pair = Combinators.combine(strings(), values(depth)).as(Tuple::of);
    return pair.list().ofMaxSize(depth > 1 ? 4 : 2).map(Values::build);
  }

  private static SetValue build(List<Tuple.Tuple2<String, Value>> pairs) {
    SetValue.Builder b = SetValue.builder();
    for (Tuple.Tuple2<String, Value> p : pairs) {
      b.add(p.get1(), p.get2()); // duplicates are skipped
    }
    return b.build();
  }

  static Arbitrary<Value> values(int depth) {
    Arbitrary<Value> leaf = Arbitraries.oneOf(
        strings().map(StringValue::new),
        Arbitraries.longs().map(IntValue::new),
        Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE).map(IntValue::new),
        Arbitraries.doubles().map(DoubleValue::new),
        Arbitraries.of(Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE).map(DoubleValue::new),
        Arbitraries.of(BoolValue.TRUE, BoolValue.FALSE, NullValue.INSTANCE));
    if (depth <= 0) {
      return leaf;
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaf),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> sets(depth - 1)).map(s -> (Value) s)),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(3)
            .map(l -> (Value) new ListValue(l))));
  }
}
