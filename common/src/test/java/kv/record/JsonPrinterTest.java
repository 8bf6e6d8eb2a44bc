package kv.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonPrinterTest {
  private final RecordParser parser = new RecordParser();

  @Test
  void printsCompactStandardJsonInWrittenOrder() throws RecordFormatException {
    Value v = parser.parseValue("{ \"b\" : [ 1 ; 2.5 ; \"x\\\"y\" ] ; \"a\" : { \"t\" : true ; \"n\" : null } ; \"e\" : {} ; \"l\" : [] }");
    assertThat(JsonPrinter.print(v)).isEqualTo("{\"b\":[1,2.5,\"x\\\"y\"],\"a\":{\"t\":true,\"n\":null},\"e\":{},\"l\":[]}");
    assertThat(JsonPrinter.print(new StringValue("hello"))).isEqualTo("\"hello\"");
  }

  @Test
  void formatsWithJsonGetsIndentNewlineAndSpace() throws RecordFormatException {
    Value v = parser.parseValue("{\"a\":[1,{}],\"b\":{\"c\":null}}");
    assertThat(JsonPrinter.print(v, new JsonPrinter.Format("\t", "\n", " ")))
        .isEqualTo("{\n\t\"a\": [\n\t\t1,\n\t\t{}\n\t],\n\t\"b\": {\n\t\t\"c\": null\n\t}\n}");
    assertThat(JsonPrinter.print(v, new JsonPrinter.Format("", "", " "))).isEqualTo("{\"a\": [1,{}],\"b\": {\"c\": null}}");
  }

  @Provide
  Arbitrary<Value> values() {
    return RecordArbitraries.values(3);
  }

  /** The output is JSON a strict parser (Gson's) reads, and KV's reader reads back to the same value. */
  @Property(tries = 500)
  void outputIsStrictJsonThatReadsBackToTheSameValue(@ForAll("values") Value value) throws RecordFormatException {
    String json = JsonPrinter.print(value);
    JsonParser.parseString(json); // lenient only about the top level; strictness is checked below
    com.google.gson.stream.JsonReader strict = new com.google.gson.stream.JsonReader(new java.io.StringReader(json));
    strict.setStrictness(com.google.gson.Strictness.STRICT);
    try {
      strict.skipValue();
      assertThat(strict.peek()).isEqualTo(com.google.gson.stream.JsonToken.END_DOCUMENT);
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
    assertThat(parser.parseValue(json)).as(json).isEqualTo(value);
  }
}
