package kv.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Printing then parsing gives the same value back, and the canonical text is a fixed point. */
class RecordRoundTripTest {
  private final RecordParser parser = new RecordParser();

  @Provide
  Arbitrary<Value> values() {
    return RecordArbitraries.values(3);
  }

  @Provide
  Arbitrary<SetValue> sets() {
    return RecordArbitraries.sets(3);
  }

  @Provide
  Arbitrary<Record> records() {
    return RecordArbitraries.records();
  }

  @Property(tries = 1000)
  void valuesSurvivePrintAndParse(@ForAll("values") Value value) throws RecordFormatException {
    String printed = RecordPrinter.print(value);
    Value parsed = parser.parseValue(printed);
    assertThat(parsed).as(printed).isEqualTo(value);
    assertThat(RecordPrinter.print(parsed)).isEqualTo(printed);
  }

  @Property(tries = 500)
  void setsSurvivePrintAndParse(@ForAll("sets") SetValue set) throws RecordFormatException {
    String printed = RecordPrinter.print(set);
    SetValue parsed = parser.parseSet(printed);
    assertThat(parsed).as(printed).isEqualTo(set);
    assertThat(parsed.keys()).containsExactlyElementsOf(set.keys());
    assertThat(RecordPrinter.print(parsed)).isEqualTo(printed);
  }

  @Property(tries = 1000)
  void recordsWithOddKeysSurvivePrintAndParse(@ForAll("records") Record record) throws RecordFormatException {
    String printed = RecordPrinter.print(record);
    Record parsed = parser.parseRecord(printed);
    assertThat(parsed).as(printed).isEqualTo(record);
    assertThat(RecordPrinter.print(parsed)).isEqualTo(printed);
  }

  /** Any double, NaN and infinities included, prints as strict JSON: a number, or null when not finite. */
  @Property(tries = 1000)
  void everyDoublePrintsAsStrictJson(@ForAll long bits) throws IOException {
    double d = Double.longBitsToDouble(bits);
    String printed = RecordPrinter.print(new DoubleValue(d));
    JsonReader strict = new JsonReader(new StringReader(printed));
    strict.setStrictness(Strictness.STRICT);
    if (Double.isFinite(d)) {
      assertThat(strict.peek()).as(printed).isEqualTo(JsonToken.NUMBER);
      assertThat(Double.doubleToRawLongBits(strict.nextDouble())).as(printed).isEqualTo(Double.doubleToRawLongBits(d));
    } else {
      strict.nextNull();
    }
    assertThat(strict.peek()).as(printed).isEqualTo(JsonToken.END_DOCUMENT);
  }

  /** What goes over the wire is UTF-8: lone surrogates must be escaped to survive it. */
  @Property(tries = 500)
  void recordsSurvivePrintUtf8AndParse(@ForAll("records") Record record) throws RecordFormatException {
    byte[] wire = RecordPrinter.print(record).getBytes(StandardCharsets.UTF_8);
    String received = new String(wire, StandardCharsets.UTF_8);
    Record parsed = parser.parseRecord(received);
    assertThat(parsed).as(received).isEqualTo(record);
    assertThat(parsed.key()).isEqualTo(record.key());
  }

  @Property(tries = 300)
  void recordsReadTheSameInAnotherLayout(@ForAll("records") Record record, @ForAll boolean compact)
      throws RecordFormatException {
    String text = RecordPrinter.printKey(record.key()) + (compact ? ":" : "\n\t:  ")
        + otherLayout(record.value(), compact) + (compact ? "" : " \r\n");
    assertThat(parser.parseRecord(text)).as(text).isEqualTo(record);
  }

  /** JSON-like text: bare plain-word keys, ',' or ';' without spaces, or newlines and tabs. */
  private static String otherLayout(Value value, boolean compact) {
    StringBuilder out = new StringBuilder();
    if (value instanceof SetValue set) {
      out.append('{');
      String sep = "";
      for (var e : set.entries()) {
        out.append(sep).append(compact ? "" : "\n\t");
        out.append(RecordPrinter.isPlainWord(e.getKey()) ? e.getKey() : ValueReader.quoted(e.getKey()));
        out.append(compact ? ":" : " :\t").append(otherLayout(e.getValue(), compact));
        sep = compact ? "," : ";";
      }
      out.append(compact ? "}" : "\n}");
    } else if (value instanceof ListValue list) {
      out.append('[');
      String sep = "";
      for (Value item : list.items()) {
        out.append(sep).append(otherLayout(item, compact));
        sep = compact ? ";" : " ,\n";
      }
      out.append(']');
    } else {
      out.append(RecordPrinter.print(value));
    }
    return out.toString();
  }
}
