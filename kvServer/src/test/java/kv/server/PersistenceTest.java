package kv.server;

import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import kv.server.durable.DurableConfig;
import kv.server.durable.FsyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** An embedded server with a data directory: replay at start, INFO, the lock, closing on a failed bind. */
class PersistenceTest {
  @TempDir
  Path tmp;

  private ServerConfig config(Path dir) {
    return ServerConfig.defaults().withDurable(DurableConfig.of(dir));
  }

  @Test
  void aRestartReplaysPlainAndVersionedWritesAndTombstones() {
    Path dir = tmp.resolve("d");
    long future = (System.currentTimeMillis() + 30_000) << 20; // ahead, within the 60 s bound
    try (KvServer server = KvServer.start(config(dir)); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.PUT, "person1", "{ \"name\" : \"John\" }")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.VPUT, "person2", Long.toString(future), "{ \"name\" : \"Mary\" }")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.PUT, "person3", "{}")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.DEL, "person3")).isEqualTo(1L);
      assertThat(send(jedis, Cmd.VPUT, "person2", "1", "{ \"stale\" : 1 }")).isEqualTo(0L);
    }
    try (KvServer server = KvServer.start(config(dir)); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.GET, "person1")).isEqualTo("{ \"name\" : \"John\" }");
      assertThat(send(jedis, Cmd.VGET, "person2")).isEqualTo(List.of(future, "{ \"name\" : \"Mary\" }"));
      assertThat(((List<?>) send(jedis, Cmd.VGET, "person3")).get(1)).isNull();
      assertThat(send(jedis, Cmd.DBSIZE)).isEqualTo(2L);
      assertThat((String) send(jedis, Cmd.INFO)).contains("replayed_entries:4\r\n", "records:2\r\n",
          "tombstones:1\r\n");
      // Replay advanced the clock past the replicated version: a plain write after it still wins.
      assertThat(send(jedis, Cmd.PUT, "person2", "{ \"name\" : \"Anna\" }")).isEqualTo("OK");
      assertThat(send(jedis, Cmd.GET, "person2")).isEqualTo("{ \"name\" : \"Anna\" }");
    }
  }

  @Test
  void infoAndConfigReportPersistence() {
    Path dir = tmp.resolve("d");
    ServerConfig config = config(dir).withDurable(DurableConfig.of(dir).withFsync(FsyncPolicy.ALWAYS));
    try (KvServer server = KvServer.start(config); Jedis jedis = ServerFixture.client(server)) {
      send(jedis, Cmd.PUT, "person1", "{ \"name\" : \"John\" }");
      String info = (String) send(jedis, Cmd.INFO);
      assertThat(info).contains("persistence:on\r\n", "data_dir:" + dir + "\r\n", "fsync:always\r\n",
          "compactions:0\r\n", "last_compaction_ms:0\r\n", "log_writable:1\r\n",
          "compact_min_bytes:" + DurableConfig.DEFAULT_COMPACT_MIN_BYTES + "\r\n");
      assertThat(info).containsPattern("log_bytes:[1-9]\\d*\r\n").doesNotContain("log_error");
      assertThat(send(jedis, Cmd.CONFIG, "GET", "appendonly")).isEqualTo(List.of("appendonly", "yes"));
    }
    try (KvServer server = KvServer.start(ServerConfig.defaults()); Jedis jedis = ServerFixture.client(server)) {
      assertThat((String) send(jedis, Cmd.INFO)).contains("persistence:off\r\n").doesNotContain("data_dir");
      assertThat(send(jedis, Cmd.CONFIG, "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
    }
  }

  @Test
  void aSecondServerOnTheSameDirectoryIsRefused() {
    Path dir = tmp.resolve("d");
    try (KvServer first = KvServer.start(config(dir))) {
      assertThatThrownBy(() -> KvServer.start(config(dir)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("data directory " + dir + " is in use by another kvServer");
    }
  }

  @Test
  void aFailedBindReleasesTheDirectory() throws Exception {
    Path dir = tmp.resolve("d");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> KvServer.start(config(dir).withPort(taken.getLocalPort())))
          .hasMessageContaining("cannot listen on");
    }
    assertThat(dir).as("a data directory created for a server that never started").doesNotExist();
    try (KvServer server = KvServer.start(config(dir)); Jedis jedis = ServerFixture.client(server)) {
      assertThat(send(jedis, Cmd.PING)).isEqualTo("PONG");
    }
  }

  @Test
  void aDataDirectoryThatIsAFileIsReportedInOneLine() throws Exception {
    Path file = java.nio.file.Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> KvServer.start(config(file)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("data directory " + file + " is a file");
  }
}
