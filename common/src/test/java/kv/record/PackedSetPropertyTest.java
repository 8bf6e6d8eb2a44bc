package kv.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random sets over a small alphabet (so keys share prefixes and are prefixes of each other) against a model. */
class PackedSetPropertyTest {

  @Provide
  Arbitrary<List<String>> keyLists() {
    // '\0' and the end of a key differ; 0xFF/0x100 switch between one and two bytes per char;
    // the surrogates come alone or paired.
    Arbitrary<String> keys = Arbitraries.strings().withChars("ab\0\u00ff\u0100\ud83d\ude00\uffff").ofMaxLength(6);
    return Arbitraries.oneOf(keys.list().ofMaxSize(12), keys.list().ofMinSize(100).ofMaxSize(600));
  }

  @Provide
  Arbitrary<List<Value>> valueLists() {
    return RecordArbitraries.values(2).list().ofSize(7);
  }

  @Property(tries = 2000)
  void doublesKeepTheirBits(@ForAll long bits, @ForAll int mantissa, @ForAll("scales") int scale) {
    double any = Double.longBitsToDouble(bits);
    double decimal = mantissa / Math.pow(10, scale);
    SetValue set = SetValue.builder().put("any", new DoubleValue(any)).put("decimal", new DoubleValue(decimal)).build();
    assertThat(Double.doubleToRawLongBits(((DoubleValue) set.get("any")).value())).isEqualTo(bits);
    assertThat(Double.doubleToRawLongBits(((DoubleValue) set.get("decimal")).value()))
        .isEqualTo(Double.doubleToRawLongBits(decimal));
  }

  @Provide
  Arbitrary<Integer> scales() {
    return Arbitraries.integers().between(0, 12);
  }

  /** Key i gets values[i % 7]. */
  @Property(tries = 400)
  void behavesLikeALinkedHashMap(@ForAll("keyLists") List<String> keys, @ForAll("valueLists") List<Value> values,
      @ForAll("keyLists") List<String> probes, @ForAll long seed) {
    Map<String, Value> model = new LinkedHashMap<>();
    SetValue.Builder builder = SetValue.builder();
    for (int i = 0; i < keys.size(); i++) {
      Value value = values.get(i % values.size());
      assertThat(builder.add(keys.get(i), value)).isEqualTo(!model.containsKey(keys.get(i)));
      model.putIfAbsent(keys.get(i), value);
    }
    SetValue set = builder.build();
    PackedSetTest.check(set, model, probes);

    List<String> shuffled = new ArrayList<>(model.keySet());
    Collections.shuffle(shuffled, new Random(seed));
    SetValue.Builder other = SetValue.builder();
    shuffled.forEach(k -> other.put(k, model.get(k)));
    SetValue reordered = other.build();
    assertThat(reordered).isEqualTo(set).hasSameHashCodeAs(set);
    assertThat(reordered.keys()).containsExactlyElementsOf(shuffled);

    // Nested: the set read back through an enclosing set is the same set.
    SetValue outer = SetValue.builder().put("before", new IntValue(1)).put("set", set).put("after", BoolValue.TRUE)
        .build();
    SetValue inner = (SetValue) outer.get("set");
    PackedSetTest.check(inner, model, probes);
    assertThat(outer.get("after")).isEqualTo(BoolValue.TRUE);
  }
}
