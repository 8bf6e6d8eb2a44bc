package kv.server.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.Limits;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

  @Provide
  Arbitrary<SetValue> sets() {
    return Values.sets(3);
  }

  @Provide
  Arbitrary<String> keys() {
    return Values.strings();
  }

  @Property(tries = 500)
  void framesRoundTripExactly(@ForAll("keys") String key, @ForAll long version, @ForAll("sets") SetValue value) {
    ByteSink frame = Frames.entry(key, version, value);
    Frames.Frame decoded = Frames.decode(frame.array(), Frames.HEADER_BYTES, frame.size() - Frames.HEADER_BYTES);

    assertThat(decoded.type()).isEqualTo(Frames.PUT);
    assertThat(decoded.key()).isEqualTo(key);
    assertThat(decoded.version()).isEqualTo(version);
    assertThat(decoded.value()).isEqualTo(value);
    assertThat(RecordPrinter.print(decoded.value())).isEqualTo(RecordPrinter.print(value)); // same key order
    assertThat(Frames.getInt(frame.array(), 0)).isEqualTo(frame.size() - Frames.HEADER_BYTES);
    assertThat(Frames.getInt(frame.array(), 4))
        .isEqualTo(Frames.crc(frame.array(), Frames.HEADER_BYTES, frame.size() - Frames.HEADER_BYTES));
  }

  @Provide
  Arbitrary<Value> values() {
    return Values.values(3);
  }

  /** Any value at a key: a set is a PUT frame as before values of other kinds existed, anything else a VALUE frame. */
  @Property(tries = 500)
  void framesOfAnyValueRoundTrip(@ForAll("keys") String key, @ForAll long version, @ForAll("values") Value value) {
    ByteSink frame = Frames.entry(key, version, value);
    Frames.Frame decoded = Frames.decode(frame.array(), Frames.HEADER_BYTES, frame.size() - Frames.HEADER_BYTES);

    assertThat(decoded.type()).isEqualTo(value instanceof SetValue ? Frames.PUT : Frames.VALUE);
    assertThat(decoded.key()).isEqualTo(key);
    assertThat(decoded.version()).isEqualTo(version);
    assertThat(decoded.value()).isEqualTo(value);
  }

  /** The bytes an older kvServer wrote for a record (a PUT frame) still decode, and a record is still written so. */
  @Test
  void aRecordsFrameIsTheSameAsOlderServersWrote() {
    SetValue set = SetValue.builder().put("age", new IntValue(22)).build();
    byte[] payload = java.util.HexFormat.of().parseHex("01" + "0000000000000007" + "01" + "6b" + "01" + "03616765"
        + "032c");
    Frames.Frame decoded = Frames.decode(payload, 0, payload.length);
    assertThat(decoded.type()).isEqualTo(Frames.PUT);
    assertThat(decoded.key()).isEqualTo("k");
    assertThat(decoded.version()).isEqualTo(7);
    assertThat(decoded.value()).isEqualTo(set);
    ByteSink written = Frames.entry("k", 7, set);
    assertThat(java.util.Arrays.copyOfRange(written.array(), Frames.HEADER_BYTES, written.size())).isEqualTo(payload);
    ByteSink list = Frames.entry("k", 7, new ListValue(List.of(new IntValue(22))));
    assertThat(java.util.HexFormat.of().formatHex(list.array(), Frames.HEADER_BYTES, list.size()))
        .isEqualTo("05" + "0000000000000007" + "01" + "6b" + "05" + "01" + "032c");
  }

  @Property(tries = 200)
  void tombstonesRoundTrip(@ForAll("keys") String key, @ForAll long version) {
    ByteSink frame = Frames.entry(key, version, null);
    Frames.Frame decoded = Frames.decode(frame.array(), Frames.HEADER_BYTES, frame.size() - Frames.HEADER_BYTES);

    assertThat(decoded.type()).isEqualTo(Frames.TOMBSTONE);
    assertThat(decoded.key()).isEqualTo(key);
    assertThat(decoded.version()).isEqualTo(version);
    assertThat(decoded.value()).isNull();
  }

  @Property(tries = 300)
  void truncatedPayloadsFailWithAMessageNotACrash(@ForAll("sets") SetValue value) {
    ByteSink frame = Frames.entry("k", 7, value);
    int payload = frame.size() - Frames.HEADER_BYTES;
    for (int cut = 0; cut < payload; cut++) {
      int length = cut;
      assertThatThrownBy(() -> Frames.decode(frame.array(), Frames.HEADER_BYTES, length))
          .isInstanceOf(MalformedPayloadException.class);
    }
  }

  /** A set {@code depth} levels deep (the outermost is depth 1, as the parser counts), empty at the bottom. */
  private static SetValue nested(int depth) {
    SetValue set = SetValue.empty();
    for (int level = depth; level > 1; level--) {
      set = SetValue.builder().put("a", set).build();
    }
    return set;
  }

  /** Issue 12, scenario 9: the log decoder counts depth as the parser does, and allows as deep. */
  @Test
  void theDecoderAllowsExactlyTheDeepestRecordTheParserCanAccept() {
    int deepest = Limits.MAX_DEPTH; // 1000, the most any --max-depth allows
    ByteSink ok = Frames.entry("k", 1, nested(deepest));
    assertThat(Frames.decode(ok.array(), Frames.HEADER_BYTES, ok.size() - Frames.HEADER_BYTES).value())
        .isEqualTo(nested(deepest));
    ByteSink deeper = Frames.entry("k", 1, nested(deepest + 1));
    assertThatThrownBy(() -> Frames.decode(deeper.array(), Frames.HEADER_BYTES, deeper.size() - Frames.HEADER_BYTES))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessage("nesting: depth 1001 (expected: <= 1000, the deepest record kvServer accepts)");
  }

  @Test
  void unknownTypeNamesTheType() {
    byte[] payload = {9};
    assertThatThrownBy(() -> Frames.decode(payload, 0, 1))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining("record type: 9");
  }

  @Test
  void smallIntsAndAsciiAreCompact() {
    SetValue set = SetValue.builder().put("age", new IntValue(22)).put("name", new StringValue("John")).build();
    ByteSink frame = Frames.entry("person1", 1, set);
    // 8 header + 1 type + 8 version + 8 key + 1 count + (4 + 2) + (5 + 6)
    assertThat(frame.size()).isEqualTo(43);
  }

  @Property(tries = 50)
  void countsAboveTheBytesLeftAreRejectedBeforeAllocating(@ForAll("huge") long count) {
    ByteSink sink = new ByteSink(16);
    sink.putVarLong(count);
    assertThatThrownBy(() -> new ByteReader(sink.array(), 0, sink.size()).getCount("set size"))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining("set size: ");
  }

  @Provide
  Arbitrary<Long> huge() {
    return Arbitraries.longs().between(2, Long.MAX_VALUE).injectDuplicates(0).edgeCases(c -> c.add(Long.MAX_VALUE));
  }
}
