package kv.broker.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordLineReaderTest {

  private static List<String> lines(String text, int max) throws Exception {
    RecordLineReader reader = new RecordLineReader(new StringReader(text), max);
    List<String> lines = new ArrayList<>();
    for (String line = reader.next(); line != null; line = reader.next()) {
      lines.add(reader.lastWasTooLong() ? "<too long>" : line);
    }
    return lines;
  }

  @Test
  void splitsOnLfAndCrLfAndKeepsALastLineWithoutNewline() throws Exception {
    assertThat(lines("a\nbb\r\n\nccc", 10)).containsExactly("a", "bb", "", "ccc");
    assertThat(lines("a\n", 10)).containsExactly("a");
    assertThat(lines("", 10)).isEmpty();
  }

  @Test
  void skipsALineLongerThanTheLimitWithoutKeepingIt() throws Exception {
    assertThat(lines("abc\n" + "x".repeat(200_000) + "\nd\n", 10)).containsExactly("abc", "<too long>", "d");
    assertThat(lines("0123456789\r\n01234567890\n", 10)).containsExactly("0123456789", "<too long>");
  }

  @Test
  void readsLinesAcrossBufferBoundaries() throws Exception {
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String line = "line" + i + "-" + "y".repeat(i % 17);
      expected.add(line);
      text.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    assertThat(lines(text.toString(), 100)).isEqualTo(expected);
  }
}
