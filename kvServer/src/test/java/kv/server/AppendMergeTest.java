package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kv.record.AppendEntry;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.StringValue;
import kv.record.Value;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AppendMergeTest {
  private static final RecordParser PARSER = new RecordParser();

  private static Value v(String text) {
    try {
      return PARSER.parseValue(text);
    } catch (RecordFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static AppendEntry at(String element, String... path) {
    return new AppendEntry(List.of(path), v(element));
  }

  private static String merge(String base, AppendEntry... appends) {
    Value merged = AppendMerge.merge(base == null ? null : v(base), List.of(appends));
    return merged == null ? null : RecordPrinter.print(merged);
  }

  @Test
  void appendsAddOneElementEachInOrderAndAListIsOneElement() {
    assertThat(merge("[ \"cat\" ; \"dog\" ]", at("\"mouse\""), at("[ 1 ; 2 ]"), at("{}")))
        .isEqualTo("[ \"cat\" ; \"dog\" ; \"mouse\" ; [ 1 ; 2 ] ; {} ]");
    assertThat(merge(null, at("\"mouse\""))).as("a missing key becomes [value]").isEqualTo("[ \"mouse\" ]");
    assertThat(merge("[]", at("null"))).isEqualTo("[ null ]");
  }

  @Test
  void aMissingPathIsCreatedWithSetsAndTheListAtTheEnd() {
    assertThat(merge("{ \"name\" : \"John\" }", at("\"red\"", "tags"), at("\"blue\"", "tags")))
        .isEqualTo("{ \"name\" : \"John\" ; \"tags\" : [ \"red\" ; \"blue\" ] }");
    assertThat(merge(null, at("1", "a", "b"))).isEqualTo("{ \"a\" : { \"b\" : [ 1 ] } }");
    assertThat(merge("{ \"l\" : [ { \"x\" : [] } ] }", at("7", "l", "0", "x"), at("8", "l", "0", "y")))
        .as("an index walks into a list's element").isEqualTo("{ \"l\" : [ { \"x\" : [ 7 ] ; \"y\" : [ 8 ] } ] }");
  }

  @Test
  void anAppendThatDoesNotFitIsSkippedNeverCoerced() {
    assertThat(merge("\"mouse\"", at("\"x\""))).as("a string never becomes a list of its letters").isEqualTo("\"mouse\"");
    assertThat(merge("{ \"name\" : \"John\" }", at("1", "name"), at("2", "other")))
        .isEqualTo("{ \"name\" : \"John\" ; \"other\" : [ 2 ] }");
    assertThat(merge("{ \"name\" : \"John\" }", at("1", "name", "first"))).isEqualTo("{ \"name\" : \"John\" }");
    assertThat(merge("[ [] ]", at("1", "1"), at("2", "x"), at("3", "0")))
        .as("beyond the list, or no index").isEqualTo("[ [ 3 ] ]");
    assertThat(merge("5", at("1", "a"))).isEqualTo("5");
  }

  @Test
  void refusalsNameTheTypeFound() {
    Value person = v("{ \"name\" : \"John\" ; \"tags\" : [ 1 ] ; \"n\" : null }");
    assertThat(AppendMerge.refusal("person1", person, List.of("name")))
        .isEqualTo("the value there is a string, not a list (APPEND adds to a list; PUT replaces a value)");
    assertThat(AppendMerge.refusal("person1", person, List.of("n")))
        .isEqualTo("the value there is null, not a list (APPEND adds to a list; PUT replaces a value)");
    assertThat(AppendMerge.refusal("person1", person, List.of()))
        .isEqualTo("the value there is a set, not a list (APPEND adds to a list; PUT replaces a value)");
    assertThat(AppendMerge.refusal("person1", person, List.of("name", "first")))
        .isEqualTo("person1.name is a string, so it holds no 'first' (expected: a path through sets and lists)");
    assertThat(AppendMerge.refusal("person1", person, List.of("tags", "3")))
        .isEqualTo("person1.tags is a list of 1 element, so it has no element '3' (expected: an element index from"
            + " 0 to 0)");
    assertThat(AppendMerge.refusal("person1", person, List.of("tags"))).isNull();
    assertThat(AppendMerge.refusal("person1", person, List.of("new", "deeper"))).isNull();
    assertThat(AppendMerge.refusal("person1", null, List.of("x"))).isNull();
  }

  @Provide
  Arbitrary<List<AppendEntry>> appends() {
    Arbitrary<List<String>> paths = Arbitraries.of(List.<String>of(), List.of("a"), List.of("a", "0"), List.of("b"));
    return Combinators.combine(paths, Arbitraries.integers().between(0, 9))
        .as((p, i) -> new AppendEntry(p, new StringValue("e" + i))).list().ofMaxSize(12);
  }

  /** Batching runs of one path gives what applying the appends one at a time gives. */
  @Property(tries = 500)
  void batchesAreTheSameAsOneAtATime(@ForAll("appends") List<AppendEntry> appends,
      @ForAll("bases") String base) {
    Value merged = AppendMerge.merge(base == null ? null : v(base), appends);
    Value stepwise = base == null ? null : v(base);
    for (AppendEntry a : appends) {
      stepwise = AppendMerge.merge(stepwise, List.of(a));
    }
    assertThat(merged).isEqualTo(stepwise);
    List<AppendEntry> none = new ArrayList<>();
    assertThat(AppendMerge.merge(base == null ? null : v(base), none)).isEqualTo(base == null ? null : v(base));
  }

  @Provide
  Arbitrary<String> bases() {
    return Arbitraries.of("[]", "{}", "{ \"a\" : [ [] ] }", "{ \"a\" : \"s\" }", "\"text\"", "[ 1 ]").injectNull(0.15);
  }
}
