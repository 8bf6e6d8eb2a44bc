package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PathTest {
  private final RecordParser parser = new RecordParser();

  @Test
  void parsesBareAndQuotedSegments() throws Exception {
    assertThat(Path.parse("person2.address.number")).isEqualTo(new Path("person2", List.of("address", "number")));
    assertThat(Path.parse("person1")).isEqualTo(new Path("person1", List.of()));
    assertThat(Path.parse("key.\"a.b\"")).isEqualTo(new Path("key", List.of("a.b")));
    assertThat(Path.parse("\"my key\".\"\\u00e9\\n\\\"x\\\"\".tags.0"))
        .isEqualTo(new Path("my key", List.of("é\n\"x\"", "tags", "0")));
    assertThat(Path.parse("\"\".\"\"")).isEqualTo(new Path("", List.of("")));
    assertThat(Path.parse("a-b_c.0.-1")).isEqualTo(new Path("a-b_c", List.of("0", "-1")));
  }

  @Test
  void printsCanonicallyWithBarePlainWordsAndQuotedOthers() throws Exception {
    assertThat(Path.parse("\"person2\".\"address\".number")).hasToString("person2.address.number");
    assertThat(new Path("a b", List.of("x.y", "tags", "0", "", "q\"\\"))).hasToString(
        "\"a b\".\"x.y\".tags.0.\"\".\"q\\\"\\\\\"");
  }

  private static void rejects(String path, String message, int column) {
    assertThatThrownBy(() -> Path.parse(path)).isInstanceOfSatisfying(RecordFormatException.class, e -> {
      assertThat(e).hasMessage(message + " at line 1 column " + column);
      assertThat(e.column()).isEqualTo(column);
    });
  }

  @Test
  void rejectsEmptySegmentsNamingThePosition() {
    rejects("", "empty path (expected: key or key.field...)", 1);
    rejects("a..b", "empty segment in path (expected: a key before '.')", 3);
    rejects("a.", "empty segment at end of path (expected: a key after the last '.')", 3);
    rejects(".a", "empty segment in path (expected: a key before '.')", 1);
    rejects("a.\"b\".", "empty segment at end of path (expected: a key after the last '.')", 7);
  }

  @Test
  void rejectsUnquotedOddCharactersAndBadQuotedSegments() {
    String bare = " in path segment (expected: letters, digits, '_' or '-', or the whole segment in double quotes,"
        + " as in key.\"a b\")";
    rejects("a. b", "unexpected U+0020" + bare, 3);
    rejects("a.b c", "unexpected U+0020" + bare, 4);
    rejects("a.é", "unexpected 'é'" + bare, 3);
    rejects("a.b\"c\"", "unexpected '\"'" + bare, 4);
    rejects("a.'b'", "unexpected '''" + bare, 3);
    rejects("a.\"b\"c", "expected '.' or end of path after a quoted segment but found 'c'", 6);
    rejects("a.\"b", "unterminated quoted segment in path (expected: a closing '\"')", 3);
    rejects("a.\"b\\q\"", "invalid escape sequence in a quoted path segment (expected: \\\" \\\\ \\/ \\b \\f \\n \\r"
        + " \\t or \\u and four hex digits)", 5);
    rejects("a.\"b\\'\"", "invalid escape sequence in a quoted path segment (expected: \\\" \\\\ \\/ \\b \\f \\n \\r"
        + " \\t or \\u and four hex digits)", 5);
    rejects("a.\"b\nc\"", "control character in a quoted path segment (expected: an escape such as \\n)", 5);
  }

  @Test
  void resolvesNestedSetsAndListIndexes() throws Exception {
    SetValue person2 = parser.parseSet("{ \"name\" : \"Mary\" ; \"address\" : { \"street\" : \"Panepistimiou\" ;"
        + " \"number\" : 12 } ; \"tags\" : [ \"a\", { \"x.y\" : true } ] ; \"0\" : \"zero\" }");
    assertThat(Path.parse("person2.address.number").resolve(person2)).isEqualTo(new IntValue(12));
    assertThat(Path.parse("person2.name").resolve(person2)).isEqualTo(new StringValue("Mary"));
    assertThat(Path.parse("person2").resolve(person2)).isSameAs(person2);
    assertThat(Path.parse("person2.tags.0").resolve(person2)).isEqualTo(new StringValue("a"));
    assertThat(Path.parse("person2.tags.1.\"x.y\"").resolve(person2)).isEqualTo(BoolValue.TRUE);
    assertThat(Path.parse("person2.0").resolve(person2)).isEqualTo(new StringValue("zero"));
  }

  @Test
  void resolvesToNullWhenAnyStepIsAbsent() throws Exception {
    SetValue set = parser.parseSet("{ \"name\" : \"Mary\" ; \"tags\" : [ 1, 2 ] ; \"a\" : {} }");
    for (String path : List.of("p.phone", "p.name.first", "p.tags.2", "p.tags.-1", "p.tags.01", "p.tags.x",
        "p.tags.99999999999", "p.tags.0.x", "p.a.b", "p.\"\"")) {
      assertThat(Path.parse(path).resolve(set)).as(path).isNull();
    }
  }

  @Provide
  Arbitrary<Path> paths() {
    return Combinators.combine(RecordArbitraries.keys(), RecordArbitraries.keys().list().ofMaxSize(5)).as(Path::new);
  }

  @Property(tries = 1000)
  void canonicalTextParsesBack(@ForAll("paths") Path path) throws RecordFormatException {
    String text = path.toString();
    Path parsed = Path.parse(text);
    assertThat(parsed).as(text).isEqualTo(path);
    assertThat(parsed.toString()).isEqualTo(text);
  }

  @Property(tries = 500)
  void relativePathsPrintAndParseBack(@ForAll("paths") Path path) throws RecordFormatException {
    String text = Path.relativeText(path.segments());
    assertThat(Path.parseRelative(text)).as(text).isEqualTo(path.segments());
  }

  @Test
  void relativePathsStartWithADotAndTheDotAloneIsTheKeysValue() throws RecordFormatException {
    assertThat(Path.parseRelative(".")).isEmpty();
    assertThat(Path.parseRelative(".a.\"b c\".0")).containsExactly("a", "b c", "0");
    assertThat(Path.relativeText(List.of())).isEqualTo(".");
    assertThatThrownBy(() -> Path.parseRelative("a.b"))
        .hasMessage("relative path 'a.b' does not start with '.' (expected: . for the key itself, or .field.field...)"
            + " at line 1 column 1");
    assertThatThrownBy(() -> Path.parseRelative(".a.")).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("empty segment at end of path");
  }

  @Provide
  Arbitrary<SetValue> sets() {
    return RecordArbitraries.sets(3);
  }

  @Property(tries = 300)
  void everyValueInASetIsReachedByItsPrintedPath(@ForAll("sets") SetValue root) throws RecordFormatException {
    List<Map.Entry<List<String>, Value>> all = new ArrayList<>();
    collect(root, new ArrayList<>(), all);
    for (Map.Entry<List<String>, Value> e : all) {
      Path path = Path.parse(new Path("k", e.getKey()).toString());
      assertThat(path.resolve(root)).as("%s", path).isEqualTo(e.getValue());
    }
  }

  private static void collect(Value value, List<String> at, List<Map.Entry<List<String>, Value>> out) {
    out.add(Map.entry(List.copyOf(at), value));
    if (value instanceof SetValue set) {
      for (Map.Entry<String, Value> e : set.entries()) {
        at.add(e.getKey());
        collect(e.getValue(), at, out);
        at.remove(at.size() - 1);
      }
    } else if (value instanceof ListValue list) {
      for (int i = 0; i < list.items().size(); i++) {
        at.add(Integer.toString(i));
        collect(list.items().get(i), at, out);
        at.remove(at.size() - 1);
      }
    }
  }
}
