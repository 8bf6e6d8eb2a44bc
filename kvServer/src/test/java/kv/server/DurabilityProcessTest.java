package kv.server;

import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Persistence as a user sees it: a real kvServer process killed with SIGKILL and started again
 * with the same command in the same directory keeps every write it acknowledged; damage to its
 * data directory is dropped (a torn tail) or refused (anything else) with one clear line.
 */
class DurabilityProcessTest {
  private static final String ABSENT = "<absent>";
  private static final int CHURN_WRITES = 6000;

  @TempDir
  Path tmp;
  Path work;

  @BeforeEach
  void workDir() throws IOException {
    work = Files.createDirectory(tmp.resolve("work"));
  }

  private ServerProcess start(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("-p", "0", "--data-dir", "data", "--quiet"));
    args.addAll(List.of(extra));
    return ServerProcess.start(work, args.toArray(String[]::new));
  }

  private static String get(Jedis jedis, String key) {
    Object v = send(jedis, Cmd.GET, key);
    return v == null ? ABSENT : (String) v;
  }

  /** One writer's view: per key, the state of its last acknowledged write and of the one in flight. */
  private static final class Writer implements Runnable {
    final int id;
    final int port;
    final AtomicLong acks;
    final AtomicBoolean stop;
    final Map<String, String> acked = new HashMap<>();
    final Map<String, String> inFlight = new HashMap<>();

    Writer(int id, int port, AtomicLong acks, AtomicBoolean stop) {
      this.id = id;
      this.port = port;
      this.acks = acks;
      this.stop = stop;
    }

    @Override
    public void run() {
      try (Jedis jedis = new Jedis("127.0.0.1", port, 10_000)) {
        for (int i = 0; !stop.get(); i++) {
          String key = "w" + id + "-k" + (i % 25);
          String expected;
          if (i % 7 == 3) {
            expected = ABSENT;
            inFlight.put(key, expected);
            send(jedis, Cmd.DEL, key);
          } else {
            expected = "{ \"w\" : " + id + " ; \"i\" : " + i + " }";
            inFlight.put(key, expected);
            assertThat(send(jedis, Cmd.PUT, key, expected)).isEqualTo("OK");
          }
          acked.put(key, expected);
          inFlight.remove(key);
          acks.incrementAndGet();
        }
      } catch (RuntimeException e) {
        // the server was killed: the write in flight may or may not have been applied
      }
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesSigkillDuringAWriteLoad() throws Exception {
    AtomicLong acks = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Writer> writers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try (ServerProcess server = start()) {
      for (int t = 0; t < 4; t++) {
        Writer w = new Writer(t, server.port, acks, stop);
        writers.add(w);
        Thread thread = new Thread(w, "writer-" + t);
        threads.add(thread);
        thread.start();
      }
      ServerFixture.await(Duration.ofSeconds(30), "3000 acknowledged writes", () -> acks.get() >= 3000);
      server.kill();
      for (Thread thread : threads) {
        thread.join(20_000);
      }
    } finally {
      stop.set(true);
    }
    assertThat(threads).noneMatch(Thread::isAlive);

    try (ServerProcess again = start(); Jedis jedis = again.client()) {
      int checked = 0;
      for (Writer w : writers) {
        for (Map.Entry<String, String> e : w.acked.entrySet()) {
          String actual = get(jedis, e.getKey());
          String pending = w.inFlight.get(e.getKey());
          if (pending == null) {
            assertThat(actual).as("acknowledged state of %s", e.getKey()).isEqualTo(e.getValue());
          } else {
            assertThat(actual).as("%s: last acknowledged or the write in flight", e.getKey())
                .isIn(e.getValue(), pending);
          }
          checked++;
        }
      }
      assertThat(checked).isEqualTo(100);
      assertThat(again.log()).anyMatch(l -> l.contains("replayed") && l.contains("records"));
    }
  }

  @Test
  void aDeleteStaysDeletedAndItsTombstoneKeepsItsVersion() throws Exception {
    Object tombstone;
    try (ServerProcess server = start("--fsync", "always"); Jedis jedis = server.client()) {
      send(jedis, Cmd.PUT, "person1", "{ \"name\" : \"John\" }");
      send(jedis, Cmd.PUT, "person2", "{ \"name\" : \"Mary\" }");
      assertThat(send(jedis, Cmd.DEL, "person1")).isEqualTo(1L);
      tombstone = send(jedis, Cmd.VGET, "person1");
      assertThat((List<?>) tombstone).hasSize(2).last().isNull();
      server.kill();
    }
    try (ServerProcess again = start(); Jedis jedis = again.client()) {
      assertThat(send(jedis, Cmd.GET, "person1")).isNull();
      assertThat(send(jedis, Cmd.VGET, "person1")).isEqualTo(tombstone);
      long version = (Long) ((List<?>) tombstone).get(0);
      assertThat(send(jedis, Cmd.VPUT, "person1", Long.toString(version - 1), "{ \"stale\" : 1 }")).isEqualTo(0L);
      assertThat(send(jedis, Cmd.GET, "person2")).isEqualTo("{ \"name\" : \"Mary\" }");
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(1L);
    }
  }

  @Test
  void aTornTailIsDroppedWithALogLine() throws Exception {
    try (ServerProcess server = start(); Jedis jedis = server.client()) {
      for (int i = 1; i <= 10; i++) {
        send(jedis, Cmd.PUT, "person" + i, "{ \"n\" : " + i + " }");
      }
      server.kill();
    }
    Path last = lastSegment();
    byte[] garbage = new byte[37];
    new Random(42).nextBytes(garbage);
    Files.write(last, garbage, StandardOpenOption.APPEND);

    try (ServerProcess again = start(); Jedis jedis = again.client()) {
      for (int i = 1; i <= 10; i++) {
        assertThat(send(jedis, Cmd.GET, "person" + i)).isEqualTo("{ \"n\" : " + i + " }");
      }
      assertThat(again.log()).anyMatch(l -> l.contains("dropped a torn record at the end of " + last.getFileName())
          && l.contains("37 bytes"));
      assertThat((String) send(jedis, Cmd.INFO)).contains("replay_dropped_bytes:37\r\n");
      send(jedis, Cmd.PUT, "person11", "{ \"n\" : 11 }");
      again.kill();
    }
    try (ServerProcess third = start(); Jedis jedis = third.client()) {
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(11L);
      assertThat(third.log()).noneMatch(l -> l.contains("torn"));
    }
  }

  @Test
  void damageInTheMiddleOfTheLogStopsTheStartWithOneLine() throws Exception {
    try (ServerProcess server = start(); Jedis jedis = server.client()) {
      for (int i = 1; i <= 20; i++) {
        send(jedis, Cmd.PUT, "person" + i, "{ \"name\" : \"someone number " + i + "\" }");
      }
      server.kill();
    }
    Path segment = lastSegment();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long middle = ch.size() / 2;
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, middle);
      b.put(0, (byte) (b.get(0) ^ 0x5a));
      b.rewind();
      ch.write(b, middle);
    }
    ServerProcess.Failed failed = ServerProcess.startFailing(work, "-p", "0", "--data-dir", "data", "--quiet");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stdout()).isEmpty();
    assertThat(failed.stderr()).hasSize(1);
    assertThat(failed.stderr().get(0)).startsWith("kvServer: ")
        .contains(segment.getFileName() + " is damaged at offset ", "refuses to start")
        .doesNotContain("Exception");
  }

  /** Issue 12, scenario 10: a missing snapshot stops the start with one line, never a partial start. */
  @Test
  void aDeletedSnapshotStopsTheStartWithOneLineNamingIt() throws Exception {
    try (ServerProcess server = start("--compact-min-bytes", "1024"); Jedis jedis = server.client()) {
      for (int i = 1; i <= 50; i++) {
        send(jedis, Cmd.PUT, "person" + i, "{ \"name\" : \"someone number " + i + "\" }");
      }
      ServerFixture.await(Duration.ofSeconds(30), "a compaction", () -> !info(jedis).contains("compactions:0\r\n"));
      server.kill();
    }
    Path snapshot;
    try (Stream<Path> files = Files.list(work.resolve("data"))) {
      snapshot = files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+")).findFirst().orElseThrow();
    }
    Files.delete(snapshot);
    ServerProcess.Failed failed = ServerProcess.startFailing(work, "-p", "0", "--data-dir", "data", "--quiet");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stdout()).isEmpty();
    assertThat(failed.stderr()).hasSize(1);
    assertThat(failed.stderr().get(0)).startsWith("kvServer: data directory ./data does not hold the whole history:"
        + " neither " + snapshot.toAbsolutePath() + " nor log.000001 to ").contains("refuses to start");
  }

  @Test
  void compactionKeepsTheDataDirectoryBoundedUnderChurnAndTheDataSurvivesARestart() throws Exception {
    String padding = "x".repeat(300);
    try (ServerProcess server = start("--compact-min-bytes", "8192"); Jedis jedis = server.client()) {
      for (int i = 0; i < CHURN_WRITES; i++) {
        send(jedis, Cmd.PUT, "key" + (i % 3), "{ \"i\" : " + i + " ; \"pad\" : \"" + padding + "\" }");
      }
      // 6000 writes of about 340 bytes: 2 MB of log without compaction. Compaction runs in the
      // background (and fsyncs), so how far the directory runs ahead of it during the churn depends
      // on the machine's load; what must hold is that it shrinks to the live data once writes stop.
      ServerFixture.await(Duration.ofSeconds(20), "compactions", () -> info(jedis).contains("compactions:")
          && !info(jedis).contains("compactions:0\r\n"));
      ServerFixture.await(Duration.ofSeconds(20), "a small data directory", () -> dirBytes() < 64 * 1024);
      assertThat(server.log()).anyMatch(l -> l.contains("compacted"));
      server.kill();
    }
    try (ServerProcess again = start(); Jedis jedis = again.client()) {
      for (int k = 0; k < 3; k++) {
        int last = CHURN_WRITES - 1 - ((CHURN_WRITES - 1 - k) % 3);
        assertThat(send(jedis, Cmd.GET, "key" + k))
            .isEqualTo("{ \"i\" : " + last + " ; \"pad\" : \"" + padding + "\" }");
      }
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(3L);
    }
  }

  @Test
  void aSecondServerOnTheSameDirectoryFailsWithOneLine() throws Exception {
    try (ServerProcess first = start()) {
      ServerProcess.Failed second = ServerProcess.startFailing(work, "-p", "0", "--data-dir", "data");
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.stderr()).containsExactly("kvServer: data directory ./data is in use by another kvServer"
          + " (lock held on " + work.resolve("data").resolve("LOCK").toAbsolutePath() + " by pid "
          + first.process.pid() + ")");
      try (Jedis jedis = first.client()) {
        assertThat(send(jedis, Cmd.PING)).isEqualTo("PONG");
      }
    }
  }

  private static String info(Jedis jedis) {
    return (String) send(jedis, Cmd.INFO);
  }

  private Path lastSegment() throws IOException {
    try (Stream<Path> files = Files.list(work.resolve("data"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("log.")).sorted().reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no log segment in " + work.resolve("data")));
    }
  }

  private long dirBytes() {
    try (Stream<Path> files = Files.list(work.resolve("data"))) {
      return files.mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // deleted by a compaction meanwhile
        }
      }).sum();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
