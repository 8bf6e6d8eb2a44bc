package kv.broker.index;

import static org.assertj.core.api.Assertions.assertThat;

import kv.record.RecordParser;
import org.junit.jupiter.api.Test;

class SetTextTest {
  private final RecordParser parser = new RecordParser();

  @Test
  void findsTheSetAfterABareKey() {
    assertThat(SetText.of("person1 : { \"name\" : \"John\" }")).isEqualTo("{ \"name\" : \"John\" }");
    assertThat(SetText.of("  k:{a:1}  ")).isEqualTo("{a:1}");
  }

  @Test
  void skipsColonsAndEscapedQuotesInsideAQuotedKey() {
    String record = "\"a:\\\"b\\\\\" \t: { \"x\" : [1, 2] }";
    assertThat(SetText.of(record)).isEqualTo("{ \"x\" : [1, 2] }");
  }

  @Test
  void theSetTextParsesToTheRecordsSet() throws Exception {
    for (String record : new String[] {"p : { \"a\" : { \"b\" : 1.5 } ; \"c\" : \"x:y\" }", "\"q r\":{}",
        "\"\\u0041\" : { s : true }"}) {
      assertThat(parser.parseSet(SetText.of(record))).isEqualTo(parser.parseRecord(record).value());
    }
  }
}
