package kv.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordPrinterTest {

  @Test
  void printsTheAssignmentsRecordsCanonically() {
    SetValue address = SetValue.builder()
        .put("street", new StringValue("Panepistimiou"))
        .put("number", new IntValue(12))
        .build();
    SetValue mary = SetValue.builder()
        .put("name", new StringValue("Mary"))
        .put("address", address)
        .build();
    assertThat(RecordPrinter.print(new Record("person2", mary))).isEqualTo(
        "person2 : { \"name\" : \"Mary\" ; \"address\" : { \"street\" : \"Panepistimiou\" ; \"number\" : 12 } }");
    assertThat(RecordPrinter.print(new Record("person4", SetValue.empty()))).isEqualTo("person4 : {}");
  }

  @Test
  void keepsKeysInWrittenOrderAndQuotesOddTopLevelKeys() {
    SetValue set = SetValue.builder()
        .put("z", new DoubleValue(1.75))
        .put("a", new ListValue(List.of(BoolValue.TRUE, NullValue.INSTANCE, new IntValue(-1))))
        .put("m", new ListValue(List.of()))
        .build();
    assertThat(RecordPrinter.print(new Record("a b", set)))
        .isEqualTo("\"a b\" : { \"z\" : 1.75 ; \"a\" : [ true ; null ; -1 ] ; \"m\" : [] }");
  }

  @Test
  void listsPrintWithSemicolonsLikeSetsAndReadBackWithEitherSeparator() throws RecordFormatException {
    ListValue pets = new ListValue(List.of(new StringValue("cat"), new StringValue("dog")));
    assertThat(RecordPrinter.print(pets)).isEqualTo("[ \"cat\" ; \"dog\" ]");
    assertThat(RecordPrinter.print(new ListValue(List.of(pets, new ListValue(List.of())))))
        .isEqualTo("[ [ \"cat\" ; \"dog\" ] ; [] ]");
    RecordParser parser = new RecordParser();
    assertThat(parser.parseValue("[ \"cat\" ; \"dog\" ]")).isEqualTo(pets);
    assertThat(parser.parseValue("[\"cat\",\"dog\"]")).isEqualTo(pets);
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(RecordPrinter.print(new StringValue("a\"b\\c\nd\u0001é;")))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\u0001é;\"");
  }

  @Test
  void escapesLoneSurrogatesAndKeepsValidPairs() {
    assertThat(RecordPrinter.print(new StringValue("a\uD800b\uDFFFc\uD83D\uDE00\uDBFF\uDBFF\uDC00\uDC00\uD83D")))
        .isEqualTo("\"a\\ud800b\\udfffc\uD83D\uDE00\\udbff\uDBFF\uDC00\\udc00\\ud83d\"");
  }

  @Test
  void loneSurrogatesSurviveUtf8() throws RecordFormatException {
    String odd = "x\uD800\uDFFF\uDFFF\uD800y\uDBFF";
    SetValue set = SetValue.builder().put(odd, new StringValue(odd)).build();
    Record record = new Record(odd, set);
    String printed = RecordPrinter.print(record);
    String wire = new String(printed.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.UTF_8);
    Record parsed = new RecordParser().parseRecord(wire);
    assertThat(parsed).isEqualTo(record);
    assertThat(parsed.key()).isEqualTo(odd);
  }

  /**
   * The parser refuses NaN and Infinity, but a value held in memory (from the log of an older
   * server, or built in code) may still be one: the printer writes JSON's null for it, as
   * JavaScript's JSON.stringify does, never a non-JSON number.
   */
  @Test
  void neverPrintsANonJsonNumber() throws RecordFormatException {
    SetValue set = SetValue.builder().put("nan", new DoubleValue(Double.NaN))
        .put("inf", new DoubleValue(Double.POSITIVE_INFINITY))
        .put("list", new ListValue(List.of(new DoubleValue(Double.NEGATIVE_INFINITY), new DoubleValue(-0.0))))
        .build();
    String printed = RecordPrinter.print(set);
    assertThat(printed).isEqualTo("{ \"nan\" : null ; \"inf\" : null ; \"list\" : [ null ; -0.0 ] }");
    assertThat(new RecordParser().parseSet(printed)).isNotNull();
  }

  @Test
  void setsCompareByContentNotOrder() {
    SetValue ab = SetValue.builder().put("a", new IntValue(1)).put("b", new IntValue(2)).build();
    SetValue ba = SetValue.builder().put("b", new IntValue(2)).put("a", new IntValue(1)).build();
    assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
    assertThat(ab).isNotEqualTo(SetValue.empty());
  }
}
