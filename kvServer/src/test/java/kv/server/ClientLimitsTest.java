package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Issue 17: what a hostile or careless client can cost a server, and what happens past each limit. */
class ClientLimitsTest {
  private static final ServerConfig BASE = ServerConfig.defaults();

  private static Map<String, String> info(Jedis jedis) {
    Map<String, String> fields = new HashMap<>();
    for (String line : jedis.info().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  /*
   * The fault run of the issue: connections that each promise a large bulk string and send
   * nothing more. A promise used to be allocated at once (16 MiB here, 1.6 GB for 100 of them), so
   * the server of 160 MiB of heap ran out of memory; now each costs at most 64 KiB.
   */
  @Test
  void promisedBulksCostLittleAndPingStillAnswers(@TempDir Path dir) throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    try (ServerProcess server = ServerProcess.start(List.of("-Xmx160m"), work, "-p", "0", "--in-memory", "--quiet")) {
      List<RawClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          RawClient c = new RawClient(server.port);
          c.send("*3\r\n$3\r\nPUT\r\n$1\r\nk\r\n$16000000\r\n");
          clients.add(c);
        }
        try (Jedis jedis = server.client()) {
          ServerFixture.await(Duration.ofSeconds(60), "every promise counted",
              () -> Long.parseLong(info(jedis).get("pending_request_bytes")) >= 100L * 64 * 1024);
          long pending = Long.parseLong(info(jedis).get("pending_request_bytes"));
          assertThat(pending).isLessThanOrEqualTo(100L * (64 * 1024 + 1024));
          assertThat(jedis.ping()).isEqualTo("PONG");
        }
      } finally {
        for (RawClient c : clients) {
          c.close();
        }
      }
      try (Jedis jedis = server.client()) {
        ServerFixture.await(Duration.ofSeconds(30), "closed connections release their partial requests",
            () -> info(jedis).get("pending_request_bytes").equals("0"));
      }
      assertThat(String.join("\n", server.log())).doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  void aClientTakingPendingRequestsOverTheBoundIsClosedWithAnError() throws Exception {
    ClientLimits limits = ClientLimits.DEFAULT.withMaxPendingRequestBytes(1024 * 1024);
    try (KvServer server = KvServer.start(BASE.withLimits(limits));
        RawClient hog = new RawClient(server.port());
        Jedis other = ServerFixture.client(server)) {
      hog.send("PING\r\n*2\r\n$4\r\nECHO\r\n$8000000\r\n");
      assertThat(hog.read()).isEqualTo(new Resp.Simple("PONG"));
      byte[] chunk = new byte[64 * 1024];
      Resp reply = null;
      try {
        for (int i = 0; i < 40 && reply == null; i++) {
          hog.send(chunk);
        }
      } catch (java.io.IOException e) {
        // the server closed while we were still sending: the reply is still readable
      }
      reply = hog.read();
      assertThat(reply).isInstanceOf(Resp.Error.class);
      assertThat(((Resp.Error) reply).text()).startsWith("ERR partially received requests hold ")
          .contains("(expected: at most 1048576, see --max-pending-request-bytes); closing the connection");
      assertThat(hog.closedByServer()).isTrue();
      assertThat(other.ping()).isEqualTo("PONG");
      ServerFixture.await(Duration.ofSeconds(30), "the closed connection's bytes released",
          () -> info(other).get("pending_request_bytes").equals("0"));
      assertThat(info(other).get("clients_closed_for_limits")).isEqualTo("1");
    }
  }

  @Test
  void keysRefusesAReplyOverTheBoundAndScanStillWorks() throws Exception {
    ClientLimits limits = ClientLimits.DEFAULT.withMaxReplyBytes(64 * 1024);
    try (KvServer server = KvServer.start(BASE.withLimits(limits)); Jedis jedis = ServerFixture.client(server)) {
      redis.clients.jedis.Pipeline p = jedis.pipelined();
      for (int i = 0; i < 5000; i++) {
        p.sendCommand(Cmd.PUT, "key:" + i, "{}");
      }
      p.sync();
      assertThat(ServerFixture.error(jedis, Cmd.KEYS, "*")).startsWith("ERR KEYS: the reply would be over 65536 bytes")
          .contains("use SCAN");
      assertThat((List<?>) ServerFixture.send(jedis, Cmd.KEYS, "key:1*")).hasSize(1111);
      assertThat((List<?>) ServerFixture.send(jedis, Cmd.SCAN, "0", "COUNT", "100")).hasSize(2);
    }
  }

  @Test
  void aClientThatDoesNotReadARepliesLargerThanTheBoundIsClosed() throws Exception {
    ClientLimits limits = ClientLimits.DEFAULT.withMaxReplyBytes(64 * 1024);
    try (KvServer server = KvServer.start(BASE.withLimits(limits)); Jedis jedis = ServerFixture.client(server)) {
      String big = "{ \"v\" : \"" + "x".repeat(100_000) + "\" }";
      assertThat(ServerFixture.send(jedis, Cmd.PUT, "big", big)).isEqualTo("OK");
      try (RawClient c = new RawClient(server.port())) {
        c.send("GET big\r\n");
        assertThat(c.closedByServer()).isTrue();
      }
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(info(jedis).get("clients_closed_for_limits")).isEqualTo("1");
      ServerFixture.await(Duration.ofSeconds(30), "no reply bytes left", () -> info(jedis).get("unsent_reply_bytes").equals("0"));
    }
  }

  @Test
  void anIdleClientIsClosedAfterTheIdleTimeout() throws Exception {
    try (KvServer server = KvServer.start(BASE.withLimits(ClientLimits.DEFAULT.withIdleTimeoutSeconds(1)));
        RawClient idle = new RawClient(server.port())) {
      idle.send("PING\r\n");
      assertThat(idle.read()).isEqualTo(new Resp.Simple("PONG"));
      assertThat(idle.closedByServer()).as("closed within RawClient's 10 s read timeout").isTrue();
      try (Jedis jedis = ServerFixture.client(server)) {
        assertThat(ServerFixture.send(jedis, Cmd.CONFIG, "GET", "timeout")).isEqualTo(List.of("timeout", "1"));
      }
    }
  }

  /* A client trickling one byte at a time is closed although it is never idle. */
  @Test
  void aRequestThatDoesNotCompleteInTimeClosesTheConnection() throws Exception {
    ClientLimits limits = ClientLimits.DEFAULT.withRequestTimeoutSeconds(1).withIdleTimeoutSeconds(3600);
    try (KvServer server = KvServer.start(BASE.withLimits(limits)); RawClient slow = new RawClient(server.port())) {
      slow.send("*2\r\n$4\r\nECHO\r\n$100000\r\n");
      boolean closed = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!closed && System.nanoTime() < deadline) {
        try {
          slow.send("x");
          closed = !slow.silentFor(200);
        } catch (java.io.IOException e) {
          closed = true;
        }
      }
      assertThat(closed).as("closed while still sending").isTrue();
      try (Jedis jedis = ServerFixture.client(server)) {
        assertThat(info(jedis).get("clients_closed_for_limits")).isEqualTo("1");
      }
    }
  }
}
