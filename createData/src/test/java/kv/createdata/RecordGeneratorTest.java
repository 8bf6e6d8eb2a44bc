package kv.createdata;

import static kv.createdata.GeneratedRecords.KEYS;
import static kv.createdata.GeneratedRecords.checkDataset;
import static kv.createdata.GeneratedRecords.generate;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.record.Limits;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RecordGeneratorTest {
  @Property(tries = 300)
  void everyDatasetFollowsTheRules(
      @ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 0, max = 4) int d,
      @ForAll @IntRange(min = 1, max = 12) int l, @ForAll @IntRange(min = 0, max = 8) int m,
      @ForAll long seed, @ForAll("prefixes") String prefix) throws Exception {
    String text = generate(KEYS, n, d, l, m, prefix, seed);
    checkDataset(text, n, d, l, m, prefix, KEYS);
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.oneOf(Arbitraries.of("person", "", "p-", "k_"),
        Arbitraries.strings().withChars("ab .\"\\é").ofMaxLength(4));
  }

  @Property(tries = 50)
  void theSameSeedGivesTheSameText(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5) int d) throws Exception {
    assertThat(generate(KEYS, 50, d, 8, 5, "person", seed)).isEqualTo(generate(KEYS, 50, d, 8, 5, "person", seed));
  }

  @Test
  void differentSeedsGiveDifferentText() throws Exception {
    assertThat(generate(KEYS, 50, 3, 8, 5, "person", 1)).isNotEqualTo(generate(KEYS, 50, 3, 8, 5, "person", 2));
  }

  @Test
  void aLargeDatasetUsesTheWholeRangeOfEveryRule() throws Exception {
    String text = generate(KEYS, 3000, 3, 6, 5, "person", 42);
    assertThat(checkDataset(text, 3000, 3, 6, 5, "person", KEYS)).isEqualTo(3);
    assertThat(text).contains(" : {}\n");
    Set<Integer> lengths = new HashSet<>();
    Matcher strings = Pattern.compile("\"name\" : \"([A-Za-z0-9]*)\"").matcher(text);
    while (strings.find()) {
      lengths.add(strings.group(1).length());
    }
    assertThat(lengths).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    // some set holds all five keys
    assertThat(text).containsPattern("\\{ [^{}]*( ; [^{};]*){4} }");
  }

  @Test
  void depthZeroGivesFlatSetsAndNoKeysGivesEmptySets() throws Exception {
    for (String line : generate(KEYS, 500, 0, 8, 8, "person", 7).split("\n")) {
      assertThat(line.chars().filter(c -> c == '{').count()).isLessThanOrEqualTo(1);
    }
    assertThat(generate(KEYS, 3, 5, 8, 0, "x", 7)).isEqualTo("x1 : {}\nx2 : {}\nx3 : {}\n");
    assertThat(generate(List.of(), 2, 3, 8, 0, "x", 7)).isEqualTo("x1 : {}\nx2 : {}\n");
  }

  @Test
  void theDeepestAllowedRecordIsWithinTheReadersDefaultLimit() throws Exception {
    assertThat(CreateDataCommand.MAX_DEPTH).isEqualTo(Limits.DEFAULT.maxDepth() - 1);
    RecordParser parser = new RecordParser();
    parser.parseRecord("p : " + nested(CreateDataCommand.MAX_DEPTH));
    Assertions.assertThatThrownBy(() -> parser.parseRecord("p : " + nested(CreateDataCommand.MAX_DEPTH + 1)))
        .isInstanceOf(RecordFormatException.class);
  }

  /** A set with {@code levels} sets nested inside it. */
  private static String nested(int levels) {
    return "{ \"a\" : ".repeat(levels) + "{ \"b\" : 1 }" + " }".repeat(levels);
  }
}
