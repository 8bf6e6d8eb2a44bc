package kv.createdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.StringValue;
import org.junit.jupiter.api.Test;

/** The committed sample, data/sample.txt, holds the assignment's records in canonical form. */
class SampleDataTest {
  @Test
  void theSampleIsCanonicalAndHoldsTheAssignmentsRecords() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../data/sample.txt"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(4);
    RecordParser parser = new RecordParser();
    for (String line : lines) {
      assertThat(RecordPrinter.print(parser.parseRecord(line))).isEqualTo(line);
    }
    Record person2 = parser.parseRecord(lines.get(1));
    assertThat(person2.key()).isEqualTo("person2");
    assertThat(person2.value().get("name")).isEqualTo(new StringValue("Mary"));
    assertThat(((SetValue) person2.value().get("address")).get("number")).isEqualTo(new IntValue(12));
    assertThat(parser.parseRecord(lines.get(3)).value().isEmpty()).isTrue();
  }
}
