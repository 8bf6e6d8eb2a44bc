package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kv.record.JsonPath.Index;
import kv.record.JsonPath.Member;
import org.junit.jupiter.api.Test;

class JsonPathTest {
  private final RecordParser parser = new RecordParser();

  @Test
  void rootsAndSimplePathsInBothSyntaxes() {
    assertThat(JsonPath.parse("$")).isEqualTo(new JsonPath("$", false, List.of()));
    assertThat(JsonPath.parse(".")).isEqualTo(new JsonPath(".", true, List.of()));
    assertThat(JsonPath.parse("$.a.b").steps()).containsExactly(new Member("a"), new Member("b"));
    assertThat(JsonPath.parse("$.a[0][-1]").steps()).containsExactly(new Member("a"), new Index(0), new Index(-1));
    assertThat(JsonPath.parse("$[\"a b\"]['c\\'d']").steps()).containsExactly(new Member("a b"), new Member("c'd"));
    JsonPath legacy = JsonPath.parse(".a.b");
    assertThat(legacy.legacy()).isTrue();
    assertThat(legacy.steps()).containsExactly(new Member("a"), new Member("b"));
    assertThat(JsonPath.parse("a.b[2]")).isEqualTo(new JsonPath("a.b[2]", true, List.of(new Member("a"),
        new Member("b"), new Index(2))));
    assertThat(JsonPath.parse("$a").steps()).as("a $name is a legacy member, as in RedisJSON")
        .containsExactly(new Member("$a"));
    assertThat(JsonPath.parse("$.first-name.é").steps()).containsExactly(new Member("first-name"), new Member("é"));
  }

  @Test
  void pathsThatMatchSeveralValuesAreUnsupportedWithAClearError() {
    assertThatThrownBy(() -> JsonPath.parse("$..a"))
        .hasMessage("unsupported path '$..a': recursive descent '..' at offset 1 (expected: $, $.a.b, $.a[0],"
            + " $[\"a b\"] or a legacy path such as . or .a.b; wildcards, '..', filters and slices are not supported)");
    assertThatThrownBy(() -> JsonPath.parse("$.*")).hasMessageContaining("the wildcard '*' at offset 2");
    assertThatThrownBy(() -> JsonPath.parse("$.a[*]")).hasMessageContaining("the wildcard [*] at offset 3");
    assertThatThrownBy(() -> JsonPath.parse("$.a[?(@.b>1)]")).hasMessageContaining("a filter [?(...)]");
    assertThatThrownBy(() -> JsonPath.parse("$.a[1:2]")).hasMessageContaining("this selector");
    assertThatThrownBy(() -> JsonPath.parse("$.a.")).hasMessageContaining("the end of the path after '.'");
    assertThatThrownBy(() -> JsonPath.parse("$.a[\"b]")).hasMessageContaining("an unclosed quoted member name");
    assertThatThrownBy(() -> JsonPath.parse("")).hasMessageStartingWith("path: '' (expected: $");
  }

  @Test
  void resolvesMembersAndIndicesFromEitherEnd() throws RecordFormatException {
    Value doc = parser.parseValue("{\"a\":{\"b\":[10,20,30]},\"s\":\"x\"}");
    assertThat(JsonPath.parse("$.a.b[0]").resolve(doc)).isEqualTo(new IntValue(10));
    assertThat(JsonPath.parse(".a.b[-1]").resolve(doc)).isEqualTo(new IntValue(30));
    assertThat(JsonPath.parse("$.a.b[3]").resolve(doc)).isNull();
    assertThat(JsonPath.parse("$.a.b[-4]").resolve(doc)).isNull();
    assertThat(JsonPath.parse("$.s.t").resolve(doc)).isNull();
    assertThat(JsonPath.parse("$.a[0]").resolve(doc)).isNull();
    assertThat(JsonPath.parse("$").resolve(doc)).isEqualTo(doc);
  }

  @Test
  void segmentsNameIndicesByTheirPositionForAppends() throws RecordFormatException {
    Value doc = parser.parseValue("{\"a\":[{\"b\":[]},{\"b\":[]}]}");
    assertThat(JsonPath.parse("$.a[-1].b").segments(doc)).containsExactly("a", "1", "b");
    assertThat(JsonPath.parse("$.a[5].b").segments(doc)).isNull();
    assertThat(JsonPath.parse("$.x").segments(doc)).isNull();
    assertThat(JsonPath.parse("$").segments(doc)).isEmpty();
  }
}
