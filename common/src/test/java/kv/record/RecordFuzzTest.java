package kv.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz targets for the record format: {@link RecordParser} and {@link Path#parse} on any
 * text, and {@link PackedSetReader} on any bytes, either succeed or throw {@link
 * RecordFormatException} (never another exception, never a stack overflow); what the parsers
 * accept prints back to text that parses to the same thing, and what the packed reader accepts
 * is exactly the set's packing and prints to text the parser reads as the same set.
 * The corpus is under {@code src/test/resources/kv/record/RecordFuzzTestInputs/<method>/}.
 */
class RecordFuzzTest {
  private static final RecordParser PARSER = new RecordParser(new Limits(Limits.MAX_DEPTH, 64 * 1024));

  @FuzzTest(maxDuration = "45s")
  void recordParser(FuzzedDataProvider data) {
    boolean asValue = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    try {
      if (asValue) {
        Value value = PARSER.parseValue(text);
        assertThat(PARSER.parseValue(RecordPrinter.print(value))).isEqualTo(value);
      } else {
        Record record = PARSER.parseRecord(text);
        String printed = RecordPrinter.print(record);
        assertThat(PARSER.parseRecord(printed)).isEqualTo(record);
        assertThat(RecordPrinter.print(PARSER.parseRecord(printed))).isEqualTo(printed);
      }
    } catch (RecordFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "45s")
  void pathParser(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      Path path = Path.parse(text);
      assertThat(Path.parse(path.toString())).isEqualTo(path);
    } catch (RecordFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /**
   * Accepted bytes must be what the parser's set, printed and parsed again, packs to. With the
   * reader's canonical check planted away (then a re-encoding; now the check of the trie), this
   * target found bytes whose trie ref points elsewhere within seconds; that input is kept in the
   * corpus as {@code trie-ref-not-canonical}.
   */
  @FuzzTest(maxDuration = "30s")
  void packedSetReader(FuzzedDataProvider data) {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      SetValue set = PackedSetReader.read(bytes, PARSER.limits());
      assertThat(PARSER.parseSet(RecordPrinter.print(set)).toPacked()).isEqualTo(bytes);
    } catch (RecordFormatException e) {
      assertThat(e.getMessage()).startsWith("packed set");
    }
  }
}
