package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPageTest {
  @Test
  void aGroupWithMoreKeysBoundsThePage() {
    KeyPage page = KeyPage.merge(List.of(
        new KeyPage.Part(List.of("a", "d", "g"), "g", true),
        new KeyPage.Part(List.of("b", "c", "h", "z"), "z", false),
        new KeyPage.Part(List.of("e"), "f", true)));
    assertThat(page.keys()).containsExactly("a", "b", "c", "d", "e");
    assertThat(page.next()).isEqualTo("f");
  }

  @Test
  void whenNoGroupHasMoreThePageIsTheLast() {
    KeyPage page = KeyPage.merge(List.of(new KeyPage.Part(List.of("b"), "c", false),
        new KeyPage.Part(List.of("a"), "a", false)));
    assertThat(page.keys()).containsExactly("a", "b");
    assertThat(page.next()).isNull();
  }
}
