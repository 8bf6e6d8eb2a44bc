package kv.server.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kv.record.IntValue;
import kv.record.SetValue;
import kv.record.StringValue;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import kv.testkit.LogCapture;

class DurableLogTest {
  @TempDir
  Path tmp;

  static SetValue person(String name, long age) {
    return SetValue.builder().put("name", new StringValue(name)).put("age", new IntValue(age)).build();
  }

  static DurableConfig config(Path dir) {
    return DurableConfig.of(dir).withFsyncInterval(Duration.ofMillis(50));
  }

  @Test
  void writesSurviveAReopenIncludingTombstones() throws IOException {
    Path dir = tmp.resolve("127.0.0.1-9000");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      store.write(log, "person1", 1, person("John", 22));
      store.write(log, "person2", 2, person("Mary", 30));
      store.write(log, "person1", 3, null);
      assertThat(store.write(log, "person2", 1, person("stale", 1))).isFalse();
    }
    TestStore again = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), again, again)) {
      assertThat(log.replayStats().logEntries()).isEqualTo(3);
      assertThat(log.replayStats().droppedBytes()).isZero();
    }
    assertThat(again.contents()).containsExactly(
        Map.entry("person1", "3 <tombstone>"),
        Map.entry("person2", "2 { \"name\" : \"Mary\" ; \"age\" : 30 }"));
  }

  @Test
  void appendIsInTheFileWhenItReturnsWithoutClose() throws IOException {
    // What a SIGKILL leaves: nothing after append() runs. Read the directory while still open.
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    DurableLog log = DurableLog.open(config(dir).withFsyncInterval(Duration.ofMinutes(10)), store, store);
    try {
      store.write(log, "k", 5, person("A", 1));
      Path copy = tmp.resolve("copy");
      copyDir(dir, copy);
      Files.delete(copy.resolve("LOCK"));
      TestStore replayed = new TestStore();
      DurableLog.open(config(copy), replayed, replayed).close();
      assertThat(replayed.contents()).containsOnlyKeys("k");
    } finally {
      log.close();
    }
  }

  @Test
  void fsyncAlwaysWorks() throws IOException {
    Path dir = tmp.resolve("d");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir).withFsync(FsyncPolicy.ALWAYS), store, store)) {
      for (int i = 0; i < 100; i++) {
        store.write(log, "k" + i, i + 1, person("n" + i, i));
      }
    }
    TestStore again = new TestStore();
    DurableLog.open(config(dir), again, again).close();
    assertThat(again.contents()).isEqualTo(store.contents());
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() throws IOException {
    Path dir = tmp.resolve("127.0.0.1-9000");
    TestStore store = new TestStore();
    try (DurableLog log = DurableLog.open(config(dir), store, store)) {
      assertThatThrownBy(() -> DurableLog.open(config(dir), store, store))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("data directory " + dir + " is in use by another kvServer (lock held on "
              + dir.toAbsolutePath().resolve("LOCK") + " by pid " + ProcessHandle.current().pid() + ")");
      store.write(log, "still", 1, person("usable", 1));
    }
    TestStore again = new TestStore();
    DurableLog.open(config(dir), again, again).close(); // released on close
    assertThat(again.contents()).containsOnlyKeys("still");
  }

  @Test
  void messagesShowARelativeDirectoryAsTyped() {
    assertThat(DataDirectory.shown(Path.of("127.0.0.1-9000")).toString()).isEqualTo("./127.0.0.1-9000");
    assertThat(DataDirectory.shown(Path.of("../data")).toString()).isEqualTo("../data");
    assertThat(DataDirectory.shown(Path.of("/var/kv")).toString()).isEqualTo("/var/kv");
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    TestStore store = new TestStore();
    assertThatThrownBy(() -> DurableLog.open(config(file), store, store))
        .hasMessageContaining("data directory " + file + " is a file");
  }

  @Test
  void closeStopsItsThreadsAndIsIdempotent() throws Exception {
    TestStore store = new TestStore();
    DurableLog log = DurableLog.open(config(tmp.resolve("d")), store, store);
    store.write(log, "k", 1, person("A", 1));
    log.compact().get();
    assertThat(durableThreads()).contains("kv-durable-timer", "kv-durable-compact");
    log.close();
    log.close();
    assertThat(durableThreadsAfterWaiting()).isEmpty();
    assertThatThrownBy(() -> log.append("k", 2, null, () -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(log.compact()).isCompletedExceptionally();
  }

  private static Set<String> durableThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("kv-durable-")).collect(Collectors.toSet());
  }

  /** close() joins its threads, so they should be gone at once; allow a moment for the JVM's bookkeeping. */
  private static Set<String> durableThreadsAfterWaiting() {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> durableThreads().isEmpty());
    } catch (ConditionTimeoutException e) {
      // the caller's assertion names the threads still running
    }
    return durableThreads();
  }

  @Test
  void theFlusherForcesWithinTheInterval() throws Exception {
    // Not observable without pulling the plug; check at least that it runs and leaves no error.
    try (LogCapture logs = new LogCapture(DurableLog.class)) {
      TestStore store = new TestStore();
      try (DurableLog log = DurableLog.open(config(tmp.resolve("d")).withFsyncInterval(Duration.ofMillis(1)), store, store)) {
        for (int i = 0; i < 2000; i++) {
          store.write(log, "k" + (i % 10), i + 1, person("x", i));
        }
      }
      assertThat(logs.messages()).noneMatch(m -> m.contains("failed"));
    }
  }

  @Test
  void defaultDirectoryIsAddressDashPortAndNoneForPortZero() {
    assertThat(DurableConfig.defaultDirectory("127.0.0.1", 9000)).contains(Path.of("127.0.0.1-9000"));
    assertThat(DurableConfig.defaultDirectory("::1", 9000)).contains(Path.of("__1-9000"));
    assertThat(DurableConfig.defaultDirectory("127.0.0.1", 0)).isEmpty();
    assertThatThrownBy(() -> DurableConfig.defaultDirectory("127.0.0.1", 70000))
        .hasMessage("port: 70000 (expected: 0..65535)");
  }

  @Test
  void fsyncPolicyParsesTheCommandLineSpelling() {
    assertThat(FsyncPolicy.parse("always")).isEqualTo(FsyncPolicy.ALWAYS);
    assertThat(FsyncPolicy.parse("EVERYSEC")).isEqualTo(FsyncPolicy.EVERY_INTERVAL);
    assertThatThrownBy(() -> FsyncPolicy.parse("no")).hasMessage("fsync: 'no' (expected: always or everysec)");
  }

  @Test
  void configRejectsNonsense() {
    assertThatThrownBy(() -> DurableConfig.of(tmp).withFsyncInterval(Duration.ZERO))
        .hasMessage("fsyncInterval: PT0S (expected: > 0 and <= 10 minutes)");
    assertThatThrownBy(() -> DurableConfig.of(tmp).withCompactMinBytes(0))
        .hasMessage("compactMinBytes: 0 (expected: >= 1)");
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  static Map<String, Long> sizes(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        out.put(p.getFileName().toString(), Files.size(p));
      }
    }
    return out;
  }
}
