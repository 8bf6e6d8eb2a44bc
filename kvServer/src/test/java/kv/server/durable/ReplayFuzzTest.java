package kv.server.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import kv.record.IntValue;
import kv.record.SetValue;

/**
 * Jazzer fuzz target for the start-up replay: any bytes as a log segment (or as a snapshot with an
 * empty segment after it) either replay, recovering a valid prefix, or stop the start with a
 * {@link CorruptLogException}; never another exception, never a hang (under {@code -P fuzz}
 * libFuzzer reports an input that runs over 30 s; a JUnit {@code @Timeout} would not do, since in
 * fuzzing mode it bounds the whole run). What replays is then a usable log: a write appended after it,
 * and the replayed records, are all there after another start.
 *
 * <p>The last input byte says which file the rest is (odd: snapshot). The corpus, real files the
 * writer produced, is under {@code src/test/resources/kv/server/durable/ReplayFuzzTestInputs/replay/}.
 */
class ReplayFuzzTest {
  @FuzzTest(maxDuration = "45s")
  void replay(FuzzedDataProvider data) throws IOException {
    boolean snapshot = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();
    Path dir = Files.createTempDirectory("kv-replay-fuzz");
    try {
      if (snapshot) {
        Files.write(dir.resolve("snapshot.000001"), bytes);
        Files.write(dir.resolve("log.000001"), new byte[0]);
      } else {
        Files.write(dir.resolve("log.000001"), bytes);
      }
      TestStore first = new TestStore();
      try (DurableLog log = DurableLog.open(DurableLogTest.config(dir), first, first)) {
        first.write(log, "\u0000fuzz-after-replay", Long.MAX_VALUE, SetValue.builder().put("n", new IntValue(1)).build());
      } catch (CorruptLogException e) {
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.file()).isNotNull();
        return;
      }
      Map<String, String> expected = new TreeMap<>(first.contents());
      TestStore second = new TestStore();
      DurableLog.open(DurableLogTest.config(dir), second, second).close();
      assertThat(second.contents()).as("a second start replays what the first had, and the write after it")
          .isEqualTo(expected);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
