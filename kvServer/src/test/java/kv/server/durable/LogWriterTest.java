package kv.server.durable;

import static kv.server.durable.DurableLogTest.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer on a disk that fills up: a failed write leaves nothing behind and the next one is tried. */
class LogWriterTest {
  @TempDir
  Path tmp;
  private final TestDisk disk = new TestDisk();

  private static ByteSink frame(String key, long version) {
    return Frames.entry(key, version, person(key, version));
  }

  private static List<String> keys(Path file) throws Exception {
    List<String> keys = new ArrayList<>();
    try (FrameReader reader = new FrameReader(file)) {
      for (Frames.Frame f = reader.next(); f != null; f = reader.next()) {
        keys.add(f.key());
      }
    }
    return keys;
  }

  @Test
  void aWriteThatFailsOnAFullDiskIsCutOffAndTheNextWriteIsTriedAgain() throws Exception {
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      Path file = tmp.resolve("log." + policy);
      LogWriter writer = new LogWriter(Segment.open(disk.files(), 1, file, 0), policy, n -> { });
      writer.append(frame("first", 1));
      long good = Files.size(file);

      disk.full(true, 7); // 7 bytes of the next frame fit, then ENOSPC
      assertThatThrownBy(() -> writer.append(frame("refused", 2)))
          .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
      assertThat(Files.size(file)).as("the partial frame is cut off").isEqualTo(good);
      assertThat(writer.usable()).isFalse();

      disk.full(false, 0);
      writer.append(frame("third", 3));
      assertThat(writer.usable()).isTrue();
      writer.close();
      assertThat(keys(file)).as(policy.toString()).containsExactly("first", "third");
    }
  }
}
