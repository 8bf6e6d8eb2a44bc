package kv.server.durable;

import static kv.server.durable.DurableLogTest.config;
import static kv.server.durable.DurableLogTest.copyDir;
import static kv.server.durable.DurableLogTest.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import kv.testkit.LogCapture;

/** What replay does with torn and damaged files. */
class ReplayDamageTest {
  @TempDir
  Path tmp;
  Path original;
  /** Contents after the first 19 writes, and after all 20. */
  Map<String, String> first19;
  Map<String, String> all20;
  /** Frame boundaries in log.000001: end of frame 10, 11, 19 and 20. */
  long end10;
  long end11;
  long end19;
  long end20;

  @BeforeEach
  void writeTwentyRecords() throws IOException {
    original = tmp.resolve("original");
    TestStore store = new TestStore();
    Path segment = original.resolve("log.000001");
    try (DurableLog log = DurableLog.open(config(original), store, store)) {
      for (int i = 1; i <= 20; i++) {
        store.write(log, "person" + i, i, i % 7 == 0 ? null : person("name" + i, i));
        long size = Files.size(segment);
        if (i == 10) {
          end10 = size;
        } else if (i == 11) {
          end11 = size;
        } else if (i == 19) {
          end19 = size;
          first19 = store.contents();
        }
      }
      end20 = Files.size(segment);
      all20 = store.contents();
    }
  }

  private Path copy(String name) throws IOException {
    Path dir = tmp.resolve(name);
    copyDir(original, dir);
    return dir;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) 0x5A;
    Files.write(file, bytes);
  }

  private static TestStore replay(Path dir) throws IOException {
    TestStore store = new TestStore();
    DurableLog.open(config(dir), store, store).close();
    return store;
  }

  @Test
  void aTornLastRecordIsDroppedAtEveryCutAndWritingContinues() throws IOException {
    for (long cut = end19; cut < end20; cut++) {
      Path dir = copy("cut" + cut);
      Path segment = dir.resolve("log.000001");
      truncate(segment, cut);
      try (LogCapture logs = new LogCapture(Replayer.class)) {
        TestStore store = new TestStore();
        try (DurableLog log = DurableLog.open(config(dir), store, store)) {
          assertThat(store.contents()).as("cut at %d", cut).isEqualTo(first19);
          assertThat(log.replayStats().droppedBytes()).isEqualTo(cut - end19);
          assertThat(Files.size(segment)).isEqualTo(end19);
          store.write(log, "after", 100, person("after", 1));
        }
        if (cut > end19) {
          assertThat(logs.messages()).containsExactly("dropped a torn record at the end of log.000001 (offset "
              + end19 + ", " + (cut - end19) + " bytes): the server stopped mid-write");
        } else {
          assertThat(logs.messages()).isEmpty();
        }
        TestStore again = replay(dir);
        assertThat(again.contents()).containsAllEntriesOf(first19).containsKey("after").hasSize(first19.size() + 1);
      }
    }
  }

  @Test
  void aDamagedLastRecordCountsAsTorn() throws IOException {
    // A checksum mismatch in the last record cannot be told from a torn write: drop it.
    Path dir = copy("d");
    flip(dir.resolve("log.000001"), end20 - 3);
    assertThat(replay(dir).contents()).isEqualTo(first19);
  }

  @Test
  void aZeroFilledTailIsDropped() throws IOException {
    Path dir = copy("d");
    Files.write(dir.resolve("log.000001"), new byte[10_000], StandardOpenOption.APPEND);
    assertThat(replay(dir).contents()).isEqualTo(all20);
    assertThat(Files.size(dir.resolve("log.000001"))).isEqualTo(end20);
  }

  @Test
  void aFlippedByteInTheMiddleRefusesToStartAndSaysWhereAndWhatToDo() throws IOException {
    for (long at = end10; at < end11; at++) {
      Path dir = copy("flip" + at);
      Path segment = dir.resolve("log.000001");
      flip(segment, at);
      TestStore store = new TestStore();
      assertThatThrownBy(() -> DurableLog.open(config(dir), store, store))
          .as("byte %d flipped", at)
          .isInstanceOf(CorruptLogException.class)
          .hasMessageStartingWith(segment.toAbsolutePath() + " is damaged at offset " + end10 + ": ")
          .hasMessageContaining("kvServer refuses to start rather than serve part of its data")
          .hasMessageContaining("move " + dir + " away and start empty")
          .hasMessageContaining("(truncate -s " + end10 + " " + segment.toAbsolutePath() + ")")
          .satisfies(e -> assertThat(((CorruptLogException) e).offset()).isEqualTo(end10));
      assertThat(Files.size(segment)).as("nothing truncated").isEqualTo(end20);
      // the directory is released after the refusal
      assertThat(DataDirectory.lock(dir)).satisfies(DataDirectory::close);
    }
  }

  @Test
  void truncatingAtTheReportedOffsetKeepsEverythingBefore() throws IOException {
    Path dir = copy("d");
    Path segment = dir.resolve("log.000001");
    flip(segment, end10 + 12);
    long offset;
    try {
      replay(dir);
      throw new AssertionError("expected a CorruptLogException");
    } catch (CorruptLogException e) {
      offset = e.offset();
    }
    truncate(segment, offset);
    assertThat(replay(dir).contents()).hasSize(10);
  }

  @Test
  void aTornRecordInALogSegmentThatIsNotTheLastRefusesToStart() throws IOException {
    Path dir = copy("d");
    Files.copy(dir.resolve("log.000001"), dir.resolve("log.000002"));
    assertThat(replay(dir).contents()).as("two whole segments replay in order").isEqualTo(all20);
    truncate(dir.resolve("log.000001"), end20 - 1);
    assertThatThrownBy(() -> replay(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("log.000001 is damaged at offset " + end19)
        .hasMessageContaining("the record is cut off")
        .hasMessageContaining("of a log segment that is not the last one");
  }

  /**
   * Issue 12, scenario 7: what a crash during a roll-over left with an older kvServer (it created
   * the next segment before it took the writer's lock): a torn tail in log.N and an empty or
   * zero-filled log.N+1. Nothing after the torn record was ever written, so it is a torn tail.
   */
  @Test
  void aTornTailFollowedOnlyByEmptyOrZeroFilledSegmentsIsDroppedAndWritingContinues() throws IOException {
    for (int zeros : new int[] {0, 4096}) {
      Path dir = copy("zeros" + zeros);
      truncate(dir.resolve("log.000001"), end20 - 1);
      Files.write(dir.resolve("log.000002"), new byte[zeros]);
      if (zeros > 0) {
        Files.write(dir.resolve("log.000003"), new byte[0]);
      }
      try (LogCapture logs = new LogCapture(Replayer.class)) {
        TestStore store = new TestStore();
        try (DurableLog log = DurableLog.open(config(dir), store, store)) {
          assertThat(store.contents()).as("%d zeros", zeros).isEqualTo(first19);
          store.write(log, "after", 100, person("after", 1));
        }
        assertThat(logs.messages()).contains("dropped a torn record at the end of log.000001 (offset " + end19 + ", "
            + (end20 - 1 - end19) + " bytes): the server stopped mid-write");
      }
      assertThat(Files.size(dir.resolve("log.000001"))).isEqualTo(end19);
      TestStore again = replay(dir);
      assertThat(again.contents()).containsAllEntriesOf(first19).containsKey("after").hasSize(first19.size() + 1);
    }
  }

  @Test
  void aMissingSegmentRefusesToStart() throws IOException {
    Path dir = copy("d");
    Files.copy(dir.resolve("log.000001"), dir.resolve("log.000003"));
    assertThatThrownBy(() -> replay(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("log.000002 is missing (found log.000003 after it)")
        .hasMessageNotContaining("truncate");
  }

  /** A compacted copy of the original: snapshot.000002 (the 20 writes) and an empty log.000002. */
  private Path compacted(String name) throws Exception {
    Path dir = copy(name);
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      log.compact().get();
    }
    assertThat(dir.resolve("snapshot.000002")).exists();
    assertThat(dir.resolve("log.000001")).doesNotExist();
    return dir;
  }

  /** Issue 12, scenario 10: replay proves it read the whole history, or refuses to start. */
  @Test
  void aMissingSnapshotRefusesToStartNamingIt() throws Exception {
    Path dir = compacted("d");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      store.write(log, "later", 100, person("later", 1));
    }
    Files.delete(dir.resolve("snapshot.000002"));
    assertThatThrownBy(() -> replay(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageStartingWith("data directory " + dir + " does not hold the whole history: neither "
            + dir.toAbsolutePath().resolve("snapshot.000002") + " nor log.000001 to log.000001 is there, so the"
            + " records written before log.000002 would be lost. kvServer refuses to start rather than serve part"
            + " of its data. ")
        .hasMessageNotContaining("\n");
    assertThat(dir.resolve("log.000002")).as("nothing deleted").exists();
  }

  @Test
  void aMissingFirstSegmentRefusesToStart() throws IOException {
    Path dir = copy("d");
    Files.move(dir.resolve("log.000001"), dir.resolve("log.000003"));
    assertThatThrownBy(() -> replay(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("neither " + dir.toAbsolutePath().resolve("snapshot.000003")
            + " nor log.000001 to log.000002 is there, so the records written before log.000003 would be lost");
  }

  @Test
  void aSnapshotWithoutItsSegmentRefusesToStart() throws Exception {
    Path dir = compacted("d");
    Files.delete(dir.resolve("log.000002"));
    assertThatThrownBy(() -> replay(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(dir.toAbsolutePath().resolve("log.000002") + " is missing (snapshot.000002 is there,"
            + " and compaction starts log.000002 before it writes snapshot.000002): the writes after the snapshot"
            + " would be lost.");
    assertThat(dir.resolve("log.000002")).as("not created either").doesNotExist();
  }

  @Test
  void aDamagedSnapshotRefusesToStart() throws Exception {
    Path dir = copy("d");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      log.compact().get();
    }
    Path snapshot = dir.resolve("snapshot.000002");
    long size = Files.size(snapshot);
    assertThat(replay(dir).contents()).isEqualTo(all20);

    Path flipped = copy("flipped");
    Files.delete(flipped.resolve("log.000001"));
    Files.copy(snapshot, flipped.resolve("snapshot.000002"));
    Files.copy(dir.resolve("log.000002"), flipped.resolve("log.000002"));
    flip(flipped.resolve("snapshot.000002"), size / 2);
    assertThatThrownBy(() -> replay(flipped))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("snapshot.000002 is damaged at offset ")
        .hasMessageContaining("move " + flipped + " away");

    // Cut anywhere, a snapshot is damaged, never torn: it was complete before it got its name.
    for (long cut = 0; cut < size; cut += Math.max(1, size / 40)) {
      truncate(dir.resolve("snapshot.000002"), cut);
      assertThatThrownBy(() -> replay(dir)).as("cut at %d", cut).isInstanceOf(CorruptLogException.class)
          .hasMessageContaining("snapshot.000002 is damaged");
    }
  }
}
