package kv.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The packed set (SetLayout: crit-bit trie over the keys, pairs in written order) against a
 * LinkedHashMap model: every key is found with its value, no other key is, order is kept.
 */
class PackedSetTest {

  /** Builds the set of {@code model}'s pairs and checks it against the model and {@code probes}. */
  static SetValue buildAndCheck(Map<String, Value> model, List<String> probes) {
    SetValue.Builder builder = SetValue.builder();
    model.forEach(builder::put);
    SetValue set = builder.build();
    check(set, model, probes);
    return set;
  }

  static void check(SetValue set, Map<String, Value> model, List<String> probes) {
    assertThat(set.size()).isEqualTo(model.size());
    assertThat(set.isEmpty()).isEqualTo(model.isEmpty());
    assertThat(set.keys()).containsExactlyElementsOf(model.keySet());
    assertThat(set.entries()).containsExactlyElementsOf(model.entrySet());
    model.forEach((key, value) -> {
      assertThat(set.get(key)).as("get %s", escaped(key)).isEqualTo(value);
      assertThat(set.containsKey(key)).isTrue();
    });
    for (String probe : probes) {
      assertThat(set.get(probe)).as("get %s", escaped(probe)).isEqualTo(model.get(probe));
      assertThat(set.containsKey(probe)).isEqualTo(model.containsKey(probe));
    }
  }

  @Test
  void keysSharingPrefixesAndKeysThatArePrefixesOfOthers() {
    List<String> keys = List.of("abc", "ab", "abd", "a", "", "abcd", "abc\0", "b", "abcde", "ab\0c", "\0", "\0\0");
    Map<String, Value> model = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      model.put(keys.get(i), new IntValue(i));
    }
    buildAndCheck(model, List.of("abce", "abcdef", "ac", "c", "\0\0\0", "a\0", "ab\0", "aa", "abc\0\0", "B", "\u0100"));
  }

  @Test
  void theEmptyKeyAloneAndWithOthers() {
    buildAndCheck(Map.of("", new StringValue("empty")), List.of("a", "\0", " "));
    Map<String, Value> model = new LinkedHashMap<>();
    model.put("x", NullValue.INSTANCE);
    model.put("", BoolValue.TRUE);
    buildAndCheck(model, List.of("y", "xx", "\0"));
    assertThat(SetValue.empty().get("")).isNull();
    assertThat(SetValue.empty().keys()).isEmpty();
  }

  @Test
  void nonAsciiAndSurrogateKeysAndStrings() {
    Map<String, Value> model = new LinkedHashMap<>();
    model.put("名前", new StringValue("名"));
    model.put("名", new StringValue("ÿ")); // 0xFF: still one byte per char
    model.put("ÿ", new StringValue("Ā")); // 0x100: two bytes per char
    model.put("Ā", new StringValue("😀"));
    model.put("😀", new StringValue("\ud83d")); // a lone high surrogate
    model.put("\ud83d", new StringValue("\ude00x")); // a lone low surrogate first
    model.put("\ude00", new StringValue("\uffff"));
    model.put("\uffff", new StringValue(""));
    model.put("e\u0301", new StringValue("é")); // not normalised: another key than "é"
    model.put("é", new IntValue(-1));
    model.put("a".repeat(200) + "Ā", new StringValue("b".repeat(300) + "😀")); // two-byte length, wide from the end
    model.put("Ā" + "a".repeat(63), new StringValue("c".repeat(64)));
    buildAndCheck(model, List.of("😁", "\ud83d\ude01", "\ud83e", "\ufffe", "名前x", "e", "ÿÿ", "\u00fe"));
  }

  @Test
  void everyScalarKindAndNestedValuesReadBack() {
    SetValue inner = SetValue.builder().put("street", new StringValue("Panepistimiou")).put("number", new IntValue(12))
        .build();
    Map<String, Value> model = new LinkedHashMap<>();
    model.put("min", new IntValue(Long.MIN_VALUE));
    model.put("max", new IntValue(Long.MAX_VALUE));
    model.put("zero", new IntValue(0));
    model.put("nan", new DoubleValue(Double.longBitsToDouble(0x7ff8_0000_0000_1234L)));
    model.put("negzero", new DoubleValue(-0.0));
    model.put("inf", new DoubleValue(Double.NEGATIVE_INFINITY));
    model.put("height", new DoubleValue(1.75));
    model.put("t", BoolValue.TRUE);
    model.put("f", BoolValue.FALSE);
    model.put("n", NullValue.INSTANCE);
    model.put("empty", SetValue.empty());
    model.put("address", inner);
    model.put("list", new ListValue(List.of(new IntValue(1), inner, new ListValue(List.of()), new StringValue("x"))));
    model.put("long", new StringValue("x".repeat(70_000)));
    SetValue set = buildAndCheck(model, List.of("address.street", "lis"));
    assertThat(Double.doubleToRawLongBits(((DoubleValue) set.get("nan")).value())).isEqualTo(0x7ff8_0000_0000_1234L);
    assertThat(set.get("empty")).isSameAs(SetValue.empty());
    SetValue address = (SetValue) set.get("address");
    assertThat(address.get("number")).isEqualTo(new IntValue(12));
    assertThat(address.keys()).containsExactly("street", "number");
    assertThat(RecordPrinter.print(address)).isEqualTo(RecordPrinter.print(inner));
  }

  @Test
  void doublesKeepTheirExactBitsWhetherStoredAsDecimalsOrNot() {
    double[] doubles = {771.82, 80.93, 0.1, 0.1 + 0.2, 1e-7, 1.5e-8, 1.0, -3.5, 123456789.1234567, 9007199254740991.0,
        9007199254740993.0, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 0.0, Double.NaN,
        Double.POSITIVE_INFINITY, Math.PI, -1e22};
    SetValue.Builder builder = SetValue.builder();
    for (int i = 0; i < doubles.length; i++) {
      builder.put("d" + i, new DoubleValue(doubles[i]));
    }
    SetValue set = builder.build();
    for (int i = 0; i < doubles.length; i++) {
      long back = Double.doubleToRawLongBits(((DoubleValue) set.get("d" + i)).value());
      assertThat(back).as("%s", doubles[i]).isEqualTo(Double.doubleToRawLongBits(doubles[i]));
    }
    assertThat(SetEncoder.decimal(771.82)).isEqualTo((77182L << 1) << 3 | 2);
    assertThat(SetEncoder.decimal(-3.5)).isEqualTo(((-35L << 1) ^ -1) << 3 | 1);
    assertThat(SetEncoder.decimal(1.0)).isEqualTo(2L << 3);
    for (double d : new double[] {-0.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.1 + 0.2, Math.PI, 1e300}) {
      assertThat(SetEncoder.decimal(d)).as("%s", d).isEqualTo(-1);
    }
  }

  @Test
  void largeSetsWithThousandsOfKeys() {
    Random random = new Random(7);
    for (int n : new int[] {2, 3, 100, 255, 256, 3_000, 20_000}) {
      Map<String, Value> model = new LinkedHashMap<>();
      List<String> probes = new ArrayList<>();
      while (model.size() < n) {
        String key = randomKey(random, 1 + random.nextInt(12));
        model.put(key, new IntValue(random.nextInt()));
        probes.add(key + "x");
        probes.add(key.substring(0, key.length() - 1));
      }
      buildAndCheck(model, probes);
    }
  }

  @Test
  void manyKeysThatArePrefixesOfEachOther() {
    Map<String, Value> model = new LinkedHashMap<>();
    List<String> probes = new ArrayList<>();
    for (int i = 1000; i >= 0; i--) {
      model.put("a".repeat(i), new IntValue(i));
      probes.add("a".repeat(i) + "b");
    }
    buildAndCheck(model, probes);
  }

  @Test
  void equalityAndHashIgnoreOrder() {
    Map<String, Value> forward = new TreeMap<>();
    for (int i = 0; i < 50; i++) {
      forward.put("k" + i, new StringValue("v" + i));
    }
    List<String> shuffled = new ArrayList<>(forward.keySet());
    Collections.shuffle(shuffled, new Random(3));
    SetValue.Builder builder = SetValue.builder();
    shuffled.forEach(k -> builder.put(k, forward.get(k)));
    SetValue a = buildAndCheck(forward, List.of());
    SetValue b = builder.build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.keys()).isNotEqualTo(b.keys());
    SetValue c = SetValue.builder().put("k0", new StringValue("other")).build();
    assertThat(a).isNotEqualTo(c);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void aBuilderStaysUsableAfterBuild() {
    SetValue.Builder builder = SetValue.builder().put("a", new IntValue(1));
    SetValue first = builder.build();
    builder.put("b", new IntValue(2));
    assertThat(first.keys()).containsExactly("a");
    assertThat(builder.build().keys()).containsExactly("a", "b");
  }

  @Test
  void critBitIsTheFirstDifferingBitOfTheVirtualChars() {
    // v = char + 1, 0 after the end; crit = 17 * index + (16 - bit)
    assertThat(SetEncoder.critBit("a", "b")).isEqualTo(16); // 0x62 vs 0x63 at index 0: bit 0
    assertThat(SetEncoder.critBit("a", "a\0")).isEqualTo(17 + 16); // 0 (end) vs 1 at index 1: bit 0
    assertThat(SetEncoder.critBit("", "\uffff")).isEqualTo(0); // 0 vs 0x10000: bit 16, the first of all
    assertThat(SetEncoder.critBit("xa", "x\u0100")).isEqualTo(17 + 16 - 8); // 0x62 vs 0x101: bit 8
  }

  static String randomKey(Random random, int length) {
    StringBuilder key = new StringBuilder();
    String alphabet = "ab\0\u00ff\u0100\ud800\udc00";
    for (int i = 0; i < length; i++) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  static String escaped(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }
}
