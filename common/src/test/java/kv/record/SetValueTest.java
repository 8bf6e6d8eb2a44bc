package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetValueTest {

  @Test
  void looksUpThroughTheTrieAndKeepsWrittenOrder() {
    List<String> keys = new ArrayList<>();
    SetValue.Builder builder = SetValue.builder();
    for (int i = 199; i >= 0; i--) {
      String key = "field" + i;
      keys.add(key);
      builder.put(key, new IntValue(i));
    }
    builder.put("", new StringValue("empty")).put("名前", new StringValue("名"));
    keys.add("");
    keys.add("名前");
    SetValue set = builder.build();

    assertThat(set.size()).isEqualTo(202);
    assertThat(set.keys()).containsExactlyElementsOf(keys);
    assertThat(set.get("field17")).isEqualTo(new IntValue(17));
    assertThat(set.get("field1")).isEqualTo(new IntValue(1));
    assertThat(set.get("field")).isNull();
    assertThat(set.get("field1000")).isNull();
    assertThat(set.get("")).isEqualTo(new StringValue("empty"));
    assertThat(set.containsKey("名前")).isTrue();
    assertThat(set.containsKey("名")).isFalse();
    assertThat(set.entries()).extracting(Map.Entry::getKey).containsExactlyElementsOf(keys);
  }

  @Test
  void rejectsDuplicateKeys() {
    SetValue.Builder builder = SetValue.builder().put("a", new IntValue(1));
    assertThat(builder.add("a", new IntValue(2))).isFalse();
    assertThatThrownBy(() -> builder.put("a", new IntValue(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate key: \"a\"");
    assertThat(builder.build().get("a")).isEqualTo(new IntValue(1));
  }

  @Test
  void emptySetHasNoKeys() {
    assertThat(SetValue.builder().build()).isSameAs(SetValue.empty());
    assertThat(SetValue.empty().get("x")).isNull();
    assertThat(SetValue.empty().isEmpty()).isTrue();
  }

  @Test
  void withReplacesInPlaceOrAddsLastAndWithoutRemoves() {
    SetValue set = SetValue.builder().put("a", new IntValue(1)).put("b", new IntValue(2)).build();
    assertThat(set.with("a", new IntValue(9)).keys()).containsExactly("a", "b");
    assertThat(set.with("a", new IntValue(9)).get("a")).isEqualTo(new IntValue(9));
    assertThat(set.with("c", new IntValue(3)).keys()).containsExactly("a", "b", "c");
    assertThat(set.without("a").keys()).containsExactly("b");
    assertThat(set.without("zz")).isSameAs(set);
    assertThat(set.keys()).as("unchanged").containsExactly("a", "b");
  }
}
