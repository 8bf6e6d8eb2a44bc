package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Many clients at once, pipelining, the client limit and a client that never reads. */
class ConcurrencyTest {

  @Test
  void fiftyPipeliningClientsGetTheirAnswersInOrder() throws Exception {
    int clients = 50;
    int perClient = 300;
    try (KvServer server = KvServer.start(ServerConfig.defaults())) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int client = c;
          results.add(pool.submit(() -> runPipelinedClient(server, client, perClient)));
        }
        for (Future<Integer> f : results) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(perClient * 3);
        }
      } finally {
        pool.shutdownNow();
      }
      try (Jedis jedis = ServerFixture.client(server)) {
        assertThat(ServerFixture.send(jedis, Cmd.DBSIZE)).isEqualTo((long) clients * perClient);
      }
    }
  }

  private static int runPipelinedClient(KvServer server, int client, int n) {
    try (Jedis jedis = ServerFixture.client(server)) {
      Pipeline p = jedis.pipelined();
      List<Response<Object>> puts = new ArrayList<>();
      List<Response<Object>> gets = new ArrayList<>();
      List<Response<Object>> echoes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = "c" + client + ":" + i;
        puts.add(p.sendCommand(Cmd.PUT, key, "{ \"client\" : " + client + " ; \"i\" : " + i + " }"));
        gets.add(p.sendCommand(Cmd.GET, key));
        echoes.add(p.sendCommand(Cmd.ECHO, key));
      }
      p.sync();
      int ok = 0;
      for (int i = 0; i < n; i++) {
        String key = "c" + client + ":" + i;
        ok += "OK".equals(ServerFixture.text(puts.get(i).get())) ? 1 : 0;
        ok += ("{ \"client\" : " + client + " ; \"i\" : " + i + " }").equals(ServerFixture.text(gets.get(i).get())) ? 1 : 0;
        ok += key.equals(ServerFixture.text(echoes.get(i).get())) ? 1 : 0;
      }
      return ok;
    }
  }

  @Test
  void clientsBeyondTheMaximumAreToldAndClosed() throws Exception {
    try (KvServer server = KvServer.start(ServerConfig.defaults().withMaxClients(2));
        Jedis a = ServerFixture.client(server)) {
      try (Jedis b = ServerFixture.client(server)) {
        assertThat(a.ping()).isEqualTo("PONG");
        assertThat(b.ping()).isEqualTo("PONG");
        try (RawClient third = new RawClient(server.port())) {
          assertThat(third.read()).isEqualTo(new Resp.Error("ERR max number of clients reached"));
          assertThat(third.closedByServer()).isTrue();
        }
        assertThat(a.ping()).isEqualTo("PONG");
      }
      ServerFixture.await(Duration.ofSeconds(10), "a free client slot", () -> {
        try (RawClient next = new RawClient(server.port())) {
          next.send("PING\r\n");
          return next.read().equals(new Resp.Simple("PONG"));
        } catch (IOException | AssertionError e) {
          return false;
        }
      });
    }
  }

  @Test
  void aClientThatNeverReadsDoesNotStallOthersNorPileUpReplies() throws Exception {
    int requests = 20_000;
    String big = "{ \"blob\" : \"" + "x".repeat(256 * 1024) + "\" }";
    try (KvServer server = KvServer.start(ServerConfig.defaults().withThreads(1));
        Jedis other = ServerFixture.client(server)) {
      assertThat(ServerFixture.send(other, Cmd.PUT, "big", big)).isEqualTo("OK");
      long before = commandsProcessed(other);

      // 20000 GETs of a 256 KiB record would be 5 GB of replies if the server kept answering
      byte[] pipeline = "GET big\r\n".repeat(requests).getBytes(StandardCharsets.US_ASCII);
      try (Socket slow = new Socket("127.0.0.1", server.port())) {
        slow.setReceiveBufferSize(4096);
        Thread writer = new Thread(() -> {
          try {
            OutputStream out = slow.getOutputStream();
            out.write(pipeline);
            out.flush();
          } catch (IOException e) {
            // closed at the end of the test while still blocked: expected
          }
        }, "slow-writer");
        writer.setDaemon(true);
        writer.start();

        // the server keeps serving others on the same (single) I/O thread
        ServerFixture.await(Duration.ofSeconds(10), "the slow client's first requests to arrive",
            () -> commandsProcessed(other) > before + 5);
        for (int i = 0; i < 20; i++) {
          assertThat(ServerFixture.send(other, Cmd.GET, "big")).isEqualTo(big);
          assertThat(other.ping()).isEqualTo("PONG");
        }
        long processed = commandsProcessed(other) - before;
        // it stopped reading the slow client's requests after a few MB of unread replies
        assertThat(processed).as("commands processed while the slow client does not read").isLessThan(400);
      }
      assertThat(other.ping()).isEqualTo("PONG");
    }
  }

  private static long commandsProcessed(Jedis jedis) {
    String info = (String) ServerFixture.send(jedis, Cmd.INFO);
    for (String line : info.split("\r\n")) {
      if (line.startsWith("total_commands_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1));
      }
    }
    throw new AssertionError("no total_commands_processed in INFO");
  }
}
