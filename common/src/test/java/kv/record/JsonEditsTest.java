package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kv.record.JsonEdits.Condition;
import org.junit.jupiter.api.Test;

class JsonEditsTest {
  private final RecordParser parser = new RecordParser();

  private Value json(String text) throws RecordFormatException {
    return parser.parseValue(text);
  }

  private String set(String doc, String path, String value, Condition condition) throws RecordFormatException {
    Value result = JsonEdits.set(json(doc), JsonPath.parse(path), json(value), condition);
    return result == null ? null : JsonPrinter.print(result);
  }

  @Test
  void setReplacesOrAddsAMemberOfAnExistingObjectInPlace() throws RecordFormatException {
    assertThat(set("{\"a\":1,\"b\":2}", "$.a", "3", Condition.ANY)).isEqualTo("{\"a\":3,\"b\":2}");
    assertThat(set("{\"a\":1,\"b\":2}", "$.c", "[1]", Condition.ANY)).isEqualTo("{\"a\":1,\"b\":2,\"c\":[1]}");
    assertThat(set("{\"a\":{\"x\":1}}", ".a.y", "\"v\"", Condition.ANY)).isEqualTo("{\"a\":{\"x\":1,\"y\":\"v\"}}");
    assertThat(set("{\"a\":[1,2]}", "$.a[-1]", "9", Condition.ANY)).isEqualTo("{\"a\":[1,9]}");
  }

  @Test
  void setAnswersNullWhenTheParentIsMissingOrTheConditionFails() throws RecordFormatException {
    assertThat(set("{\"a\":1}", "$.x.y", "1", Condition.ANY)).as("no parent").isNull();
    assertThat(set("{\"a\":1}", "$.a.y", "1", Condition.ANY)).as("the parent is no object").isNull();
    assertThat(set("{\"a\":1}", "$.a", "2", Condition.NX)).isNull();
    assertThat(set("{\"a\":1}", "$.b", "2", Condition.XX)).isNull();
    assertThat(set("{\"a\":1}", "$.b", "2", Condition.NX)).isEqualTo("{\"a\":1,\"b\":2}");
    assertThat(set("{\"a\":1}", "$.a", "2", Condition.XX)).isEqualTo("{\"a\":2}");
    assertThatThrownBy(() -> set("{\"a\":[1]}", "$.a[1]", "2", Condition.ANY))
        .hasMessage("array index out of range: 1 in an array of 1 (expected: -1 to 0)");
  }

  @Test
  void deleteRemovesAMemberOrAnElementAndAnswersNullWhenThereIsNone() throws RecordFormatException {
    assertThat(JsonPrinter.print(JsonEdits.delete(json("{\"a\":1,\"b\":{\"c\":2}}"), JsonPath.parse("$.b.c"))))
        .isEqualTo("{\"a\":1,\"b\":{}}");
    assertThat(JsonPrinter.print(JsonEdits.delete(json("[1,2,3]"), JsonPath.parse("$[1]")))).isEqualTo("[1,3]");
    assertThat(JsonEdits.delete(json("{\"a\":1}"), JsonPath.parse("$.x"))).isNull();
    assertThat(JsonEdits.delete(json("{\"a\":1}"), JsonPath.parse("$.a.b"))).isNull();
    assertThat(JsonEdits.delete(json("[1]"), JsonPath.parse("$[1]"))).isNull();
  }
}
