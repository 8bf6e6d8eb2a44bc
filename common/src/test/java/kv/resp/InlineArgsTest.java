package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class InlineArgsTest {

  @Test
  void theFirstWordEndsAtWhitespaceOutsideQuotesAndTheRestIsKeptAsTyped() {
    assertThat(InlineArgs.firstWordAndRest("pets \"mouse\"")).containsExactly("pets", "\"mouse\"");
    assertThat(InlineArgs.firstWordAndRest("  p.tags   [ \"a\" ; \"b c\" ]  ")).containsExactly("p.tags", "[ \"a\" ; \"b c\" ]");
    assertThat(InlineArgs.firstWordAndRest("\"my key\".list {\"a\": 1}")).containsExactly("\"my key\".list", "{\"a\": 1}");
    assertThat(InlineArgs.firstWordAndRest("\"a \\\" b\" 1")).containsExactly("\"a \\\" b\"", "1");
    assertThat(InlineArgs.firstWordAndRest("k\tv")).containsExactly("k", "v");
  }

  @Test
  void aLineWithoutAValueHasNoSplit() {
    assertThat(InlineArgs.firstWordAndRest("")).isNull();
    assertThat(InlineArgs.firstWordAndRest("   ")).isNull();
    assertThat(InlineArgs.firstWordAndRest("pets")).isNull();
    assertThat(InlineArgs.firstWordAndRest("pets   ")).isNull();
    assertThat(InlineArgs.firstWordAndRest("\"unclosed key value")).as("the quote runs to the end").isNull();
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars("ab.\"\\{}[]:;,é").ofMinLength(1).ofMaxLength(8)
        .filter(w -> InlineArgs.firstWordAndRest(w + " x") != null
            && InlineArgs.firstWordAndRest(w + " x")[0].equals(w));
  }

  /** Whatever the value holds (spaces, quotes, brackets), a word then a value split back into the two. */
  @Property(tries = 500)
  void aWordAndAValueSplitBack(@ForAll("words") String word, @ForAll("values") String value) {
    assertThat(InlineArgs.firstWordAndRest(word + "  " + value)).containsExactly(word, value.strip());
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withChars("ab \"\\{}[];é").ofMinLength(1).ofMaxLength(12).filter(v -> !v.isBlank());
  }
}
