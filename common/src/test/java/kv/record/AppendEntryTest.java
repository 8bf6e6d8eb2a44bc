package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppendEntryTest {
  private final RecordParser parser = new RecordParser();

  @Test
  void storedFormIsASetWithThePathAndTheElementAndReadsBack() throws RecordFormatException {
    AppendEntry entry = new AppendEntry(List.of("a.b", "0"), new ListValue(List.of(new StringValue("x"))));
    assertThat(entry.text()).isEqualTo("{ \"path\" : [ \"a.b\" ; \"0\" ] ; \"value\" : [ \"x\" ] }");
    assertThat(AppendEntry.fromSet(parser.parseSet(entry.text()))).isEqualTo(entry);
    AppendEntry atRoot = new AppendEntry(List.of(), NullValue.INSTANCE);
    assertThat(atRoot.text()).isEqualTo("{ \"path\" : [] ; \"value\" : null }");
    assertThat(AppendEntry.fromSet(atRoot.toSet())).isEqualTo(atRoot);
  }

  @Test
  void otherSetsAreRefusedSayingWhatIsExpected() throws RecordFormatException {
    assertThatThrownBy(() -> AppendEntry.fromSet(parser.parseSet("{ \"path\" : [] }")))
        .hasMessage("append entry: { \"path\" : [] } (expected: { \"path\" : [ segments as strings ] ; \"value\" :"
            + " the element })");
    assertThatThrownBy(() -> AppendEntry.fromSet(parser.parseSet("{ \"path\" : \"a\" ; \"value\" : 1 }")))
        .hasMessageStartingWith("append entry: ");
    assertThatThrownBy(() -> AppendEntry.fromSet(parser.parseSet("{ \"path\" : [ 1 ] ; \"value\" : 1 }")))
        .hasMessage("append entry path: [ 1 ] (expected: a list of strings)");
    assertThatThrownBy(() -> AppendEntry.fromSet(parser.parseSet("{ \"path\" : [] ; \"value\" : 1 ; \"x\" : 2 }")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
