package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AppendKeysTest {

  @Test
  void anAppendsNameIsTheKeyU0000AndNineteenDigits() {
    assertThat(AppendKeys.internalKey("pets", 42)).isEqualTo("pets\u00000000000000000000042");
    assertThat(AppendKeys.internalKey("", Long.MAX_VALUE)).isEqualTo("\u00009223372036854775807");
    assertThat(AppendKeys.isInternal("pets\u00000000000000000000042")).isTrue();
    assertThat(AppendKeys.isInternal("pets")).isFalse();
    assertThat(AppendKeys.userKey("pets\u00000000000000000000042")).isEqualTo("pets");
    assertThat(AppendKeys.userKey("pets")).isEqualTo("pets");
    assertThat(AppendKeys.version("pets\u00000000000000000000042")).isEqualTo(42);
    assertThat(AppendKeys.prefix("pets")).isEqualTo("pets\u0000");
  }

  @Test
  void malformedNamesAndNegativeVersionsAreRefusedByName() {
    assertThatThrownBy(() -> AppendKeys.internalKey("k", -1)).hasMessage("version: -1 (expected: >= 0)");
    assertThatThrownBy(() -> AppendKeys.version("k\u000012"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key: 'k\\u000012' is not an append's name (expected: a key, U+0000 and 19 decimal digits of a"
            + " version)");
    assertThatThrownBy(() -> AppendKeys.version("plain")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AppendKeys.version("k\u0000000000000000000000x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AppendKeys.version("k\u00009999999999999999999")) // beyond Long.MAX_VALUE
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().withChars("ab\u0001\u00ff\uffff").ofMaxLength(4);
  }

  @Provide
  Arbitrary<Long> versions() {
    return Arbitraries.longs().between(0, Long.MAX_VALUE);
  }

  /**
   * In String order (the trie's), a key's appends come right after it, in version order, and no
   * other key of the user's falls between them.
   */
  @Property(tries = 500)
  void appendsSortRightAfterTheirKeyInVersionOrder(@ForAll("keys") String key, @ForAll("keys") String other,
      @ForAll("versions") long v1, @ForAll("versions") long v2) {
    String a1 = AppendKeys.internalKey(key, v1);
    String a2 = AppendKeys.internalKey(key, v2);
    assertThat(Integer.signum(a1.compareTo(a2))).isEqualTo(Long.compare(v1, v2));
    assertThat(key.compareTo(a1)).isNegative();
    if (!other.equals(key)) {
      // another user key is either before the key or after all of its appends
      boolean before = other.compareTo(key) < 0;
      boolean after = other.compareTo(a1) > 0 && other.compareTo(a2) > 0;
      assertThat(before || after).as("%s vs %s", other, key).isTrue();
    }
    assertThat(AppendKeys.userKey(a1)).isEqualTo(key);
    assertThat(AppendKeys.version(a1)).isEqualTo(v1);
    List<String> sorted = new ArrayList<>(List.of(a2, a1));
    sorted.sort(null);
    assertThat(AppendKeys.version(sorted.get(0))).isEqualTo(Math.min(v1, v2));
  }
}
