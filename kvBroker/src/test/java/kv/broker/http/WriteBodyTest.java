package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.record.Limits;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.RecordParser;
import kv.record.StringValue;
import org.junit.jupiter.api.Test;

class WriteBodyTest {
  private final WriteBody bodies = new WriteBody(new RecordParser(new Limits(65, 1 << 20)));

  private WriteBody.Write parse(String json) throws HttpError {
    return bodies.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private String error(String json) {
    try {
      parse(json);
    } catch (HttpError e) {
      assertThat(e.status()).isEqualTo(400);
      return e.getMessage();
    }
    throw new AssertionError("expected a 400 for " + json);
  }

  @Test
  void theReferenceServicesBodies() throws Exception {
    assertThat(parse("{\"type\": \"PUT\", \"value\": [\"cat\", \"dog\"]}")).isEqualTo(new WriteBody.Write(
        WriteBody.Type.PUT, new ListValue(List.of(new StringValue("cat"), new StringValue("dog")))));
    assertThat(parse("{\"type\": \"APPEND\", \"value\": \"mouse\"}"))
        .isEqualTo(new WriteBody.Write(WriteBody.Type.APPEND, new StringValue("mouse")));
    assertThat(parse(" {\"value\": null,\n\"type\": \"PUT\"}\n")).as("members in any order; null is a value")
        .isEqualTo(new WriteBody.Write(WriteBody.Type.PUT, NullValue.INSTANCE));
  }

  @Test
  void whatIsWrongAndWhere() {
    assertThat(error("{\"type\": \"PUT\",\n \"value\": [1,\n 2 3]}")).isEqualTo("body: expected ','"
        + " or ';' between items, or ']' in the list opened at line 2 column 11 but found '3' at line 3 column 4");
    assertThat(error("{\"type\":\"PUT\",\"value\":1,\"value\":2}")).contains("duplicate key \"value\"");
    assertThat(error("{\"type\":\"PUT\",\"value\":99999999999999999999}")).contains("out of range");
    assertThat(error("{\"type\":\"PUT\",\"value\":NaN}")).contains("NaN is not a JSON number");
    assertThat(error("{\"type\":\"PUT\",\"value\":1} x")).contains("trailing text");
    assertThat(error("{type:\"PUT\",\"value\":1}")).startsWith("body: not standard JSON at line 1 column 3: ");
    assertThat(error("{\"type\":\"PUT\";\"value\":1}")).startsWith("body: not standard JSON at line 1 column");
    assertThat(error("{\"value\":1}")).isEqualTo("/type: missing (expected: " + WriteBody.EXPECTED + ")");
    assertThat(error("{\"type\":\"APPEND\"}")).isEqualTo("/value: missing (expected: " + WriteBody.EXPECTED + ")");
    assertThat(error("{\"type\":\"put\",\"value\":1}")).isEqualTo("/type: \"put\" (expected: \"PUT\" or \"APPEND\")");
    assertThat(error("{\"type\":1,\"value\":1}")).isEqualTo("/type: 1 (expected: \"PUT\" or \"APPEND\")");
    assertThat(error("{\"type\":\"PUT\",\"value\":1,\"a/b~\":2}")).startsWith("/a~1b~0: unknown member");
    assertThat(error("\"PUT\"")).isEqualTo("body: a string (expected: an object " + WriteBody.EXPECTED + ")");
    assertThat(error("  ")).isEqualTo("body: empty (expected: " + WriteBody.EXPECTED + ")");
  }

  @Test
  void invalidUtf8IsNamedWithItsByte() {
    byte[] body = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThatThrownBy(() -> bodies.parse(body)).hasMessage("body: invalid UTF-8 at byte 3 (expected: JSON in UTF-8)");
  }

  @Test
  void depthAndSizeAreBoundedByTheParsersLimits() {
    WriteBody small = new WriteBody(new RecordParser(new Limits(3, 40)));
    assertThatThrownBy(() -> small.parse("{\"type\":\"PUT\",\"value\":[[[1]]]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("body: nesting too deep: depth 4 (expected: <= 3) at line 1 column 25");
    assertThatThrownBy(() -> small.parse(("{\"type\":\"PUT\",\"value\":\"" + "x".repeat(40) + "\"}")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("value size");
  }

  @Test
  void contentTypes() throws Exception {
    WriteBody.checkContentType("application/json");
    WriteBody.checkContentType("Application/JSON; charset=UTF-8");
    WriteBody.checkContentType("application/json;charset=\"utf-8\"");
    WriteBody.checkContentType("application/json; boundary=x");
    for (String bad : new String[] {null, "", "text/plain", "application/jsonx", "application/x-www-form-urlencoded"}) {
      assertThatThrownBy(() -> WriteBody.checkContentType(bad)).as(String.valueOf(bad)).isInstanceOf(HttpError.class)
          .extracting(e -> ((HttpError) e).status()).isEqualTo(415);
    }
    assertThatThrownBy(() -> WriteBody.checkContentType("application/json; charset=latin1"))
        .hasMessage("Content-Type: charset=latin1 (expected: utf-8, JSON's encoding, or no charset)");
  }

  @Test
  void acceptPrefersJsonOnlyWhenAsked() {
    assertThat(HttpApi.Accept.prefersJson(null)).isFalse();
    assertThat(HttpApi.Accept.prefersJson("*/*")).isFalse();
    assertThat(HttpApi.Accept.prefersJson("application/json")).isTrue();
    assertThat(HttpApi.Accept.prefersJson(",,;,application/json")).as("a bare ; (found by HttpFuzzTest: it was a 500)").isTrue();
    assertThat(HttpApi.Accept.prefersJson(";")).isFalse();
    assertThat(HttpApi.Accept.prefersJson("text/plain, application/json")).isTrue();
    assertThat(HttpApi.Accept.prefersJson("text/plain, application/json;q=0.5")).isFalse();
    assertThat(HttpApi.Accept.prefersJson("application/json;q=0")).isFalse();
  }
}
