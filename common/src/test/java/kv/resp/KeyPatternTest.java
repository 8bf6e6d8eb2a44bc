package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPatternTest {
  @Test
  void prefixStarAndExact() {
    assertThat(KeyPattern.parse("person*")).isEqualTo(new KeyPattern("person", false));
    assertThat(KeyPattern.parse("*")).isEqualTo(new KeyPattern("", false));
    assertThat(KeyPattern.parse("person1")).isEqualTo(new KeyPattern("person1", true));
    assertThat(KeyPattern.parse("person1").matches("person10")).isFalse();
    assertThat(KeyPattern.parse("person1*").matches("person10")).isTrue();
  }

  @Test
  void otherGlobsAreRefusedWithAnExplanation() {
    for (String p : new String[] {"*son", "p?rson*", "p[ae]rson*", "a*b*", "**"}) {
      assertThatThrownBy(() -> KeyPattern.parse(p))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + p + "'")
          .hasMessageContaining("only prefix patterns are supported");
    }
  }
}
