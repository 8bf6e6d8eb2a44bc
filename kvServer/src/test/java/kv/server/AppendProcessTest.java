package kv.server;

import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.record.ListValue;
import kv.record.RecordParser;
import kv.record.StringValue;
import kv.record.Value;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * APPENDs and values of every kind as a user sees them across a crash: a kvServer process killed
 * with SIGKILL while clients append, and started again, holds every element it acknowledged, once,
 * each client's in the order it sent them; also after compactions wrote snapshots.
 */
class AppendProcessTest {
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

  /** Appends "w<id>-<i>" to the list at "shared" until stopped or the server dies; keeps what was acknowledged. */
  private static final class Appender implements Runnable {
    final int id;
    final int port;
    final AtomicLong acks;
    final AtomicBoolean stop;
    final List<String> acked = new ArrayList<>();
    final String padding;

    Appender(int id, int port, AtomicLong acks, AtomicBoolean stop, String padding) {
      this.id = id;
      this.port = port;
      this.acks = acks;
      this.stop = stop;
      this.padding = padding;
    }

    @Override
    public void run() {
      try (Jedis jedis = new Jedis("127.0.0.1", port, 10_000)) {
        for (int i = 0; !stop.get(); i++) {
          String element = "w" + id + "-" + i + padding;
          Object length = send(jedis, Cmd.APPEND, "shared", "\"" + element + "\"");
          assertThat(length).isInstanceOf(Long.class);
          acked.add(element);
          acks.incrementAndGet();
        }
      } catch (RuntimeException e) {
        // the server was killed: the append in flight may or may not have been applied
      }
    }
  }

  private static List<String> elements(Jedis jedis) throws Exception {
    Value value = new RecordParser().parseValue((String) send(jedis, Cmd.GET, "shared"));
    List<String> out = new ArrayList<>();
    for (Value v : ((ListValue) value).items()) {
      out.add(((StringValue) v).value());
    }
    return out;
  }

  private void appendKillAndCheck(String padding, long appends, String... flags) throws Exception {
    AtomicLong acks = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Appender> appenders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try (ServerProcess server = start(flags); Jedis jedis = server.client()) {
      assertThat(send(jedis, Cmd.SETVALUE, "shared", "[ \"first\" ]")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.SETVALUE, "text", "\"hello\"")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.JSON_SET, "doc", "$", "{\"n\":1.5,\"ok\":true,\"none\":null}")).isEqualTo("OK");
      for (int t = 0; t < 3; t++) {
        Appender a = new Appender(t, server.port, acks, stop, padding);
        appenders.add(a);
        Thread thread = new Thread(a, "appender-" + t);
        threads.add(thread);
        thread.start();
      }
      ServerFixture.await(Duration.ofSeconds(60), appends + " acknowledged appends", () -> acks.get() >= appends);
      if (flags.length > 0) {
        ServerFixture.await(Duration.ofSeconds(30), "a compaction",
            () -> !((String) send(jedis, Cmd.INFO)).contains("compactions:0\r\n"));
      }
      server.kill();
      for (Thread thread : threads) {
        thread.join(20_000);
      }
    } finally {
      stop.set(true);
    }
    assertThat(threads).noneMatch(Thread::isAlive);

    try (ServerProcess again = start(); Jedis jedis = again.client()) {
      List<String> elements = elements(jedis);
      assertThat(elements.get(0)).isEqualTo("first");
      assertThat(elements).doesNotHaveDuplicates();
      for (Appender a : appenders) {
        List<String> mine = elements.stream().filter(e -> e.startsWith("w" + a.id + "-")).toList();
        assertThat(mine.size()).as("appender %d: every acknowledged element, at most one more", a.id)
            .isBetween(a.acked.size(), a.acked.size() + 1);
        assertThat(mine.subList(0, a.acked.size())).as("in the order sent").isEqualTo(a.acked);
      }
      assertThat(send(jedis, Cmd.GET, "text")).isEqualTo("\"hello\"");
      assertThat(send(jedis, Cmd.JSON_GET, "doc")).isEqualTo("{\"n\":1.5,\"ok\":true,\"none\":null}");
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(3L);
    }
  }

  @Test
  void everyAcknowledgedAppendSurvivesSigkill() throws Exception {
    appendKillAndCheck("", 1500);
  }

  @Test
  void everyAcknowledgedAppendSurvivesSigkillAfterCompactions() throws Exception {
    appendKillAndCheck("-" + "x".repeat(200), 600, "--compact-min-bytes", "8192");
  }
}
