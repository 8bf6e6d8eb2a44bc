package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kv.broker.command.CommandParser;
import kv.broker.config.BrokerConfig;
import kv.broker.eventual.EventualEngine;
import kv.broker.testing.Await;
import kv.broker.testing.RespTestClient;
import kv.broker.transport.netty.IoThreads;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import kv.server.KvServer;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** The router port in front of three real kvServers, through Jedis: commands, pipelines, concurrent clients. */
class RouterIntegrationTest {
  private final List<KvServer> servers = new ArrayList<>();
  private final IoThreads io = IoThreads.start();
  private EventualEngine service;
  private RouterServer router;

  @BeforeEach
  void start() throws Exception {
    List<ServerAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      KvServer server = KvServer.start(ServerConfig.defaults().withThreads(1));
      servers.add(server);
      addresses.add(new ServerAddress("127.0.0.1", server.port()));
    }
    service = EventualEngine.start(BrokerConfig.of(addresses, "test", 2).with(c -> c.timeout = Duration.ofSeconds(3)), io);
    RouterCommands commands = new RouterCommands(service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(10), Map.of("kv_version", "test"), Clock.systemUTC());
    // As kvBroker --port runs it: clients served on the event loops of the server connections.
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
  }

  @AfterEach
  void stop() {
    router.close();
    service.close();
    io.close();
    servers.forEach(KvServer::close);
  }

  private static String text(Object reply) {
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  @Test
  void putGetQueryDelete() {
    try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
      assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.PUT, "person9 : { \"name\" : \"Anna\" }"))).isEqualTo("OK");
      assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.PUT, "person2",
          "{ \"name\" : \"Mary\" ; \"address\" : { \"number\" : 12 } }"))).isEqualTo("OK");
      assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.GET, "person9"))).isEqualTo("{ \"name\" : \"Anna\" }");
      assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.QUERY, "person2.address.number"))).isEqualTo("12");
      assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.QUERY, "person2.name"))).isEqualTo("\"Mary\"");
      assertThat(jedis.sendCommand(RouterServerTest.Cmd.QUERY, "person2.phone")).isNull();
      assertThat(jedis.sendCommand(RouterServerTest.Cmd.DELETE, "person9")).isEqualTo(1L);
      assertThat(jedis.sendCommand(RouterServerTest.Cmd.DELETE, "person9")).isEqualTo(0L);
      assertThat(jedis.sendCommand(RouterServerTest.Cmd.GET, "person9")).isNull();
    }
  }

  @Test
  void locateAnswersTheTableAsOneBulkString() {
    try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
      jedis.sendCommand(RouterServerTest.Cmd.PUT, "person9 : { \"name\" : \"Anna\" }");
      String table = text(jedis.sendCommand(() -> "LOCATE".getBytes(StandardCharsets.UTF_8), "person9"));
      assertThat(table).startsWith("person9 is on 2 servers (rendezvous hashing, k = 2)\nSERVER  ");
      assertThat(table.lines().filter(l -> l.startsWith("127.0.0.1:")).toList()).hasSize(2)
          .allSatisfy(l -> assertThat(l).contains("  UP  ", "  value  ", "newest"));
    }
  }

  @Test
  void infoCountsReadRepairsAndShowsHintsPerServer() {
    String server0 = "127.0.0.1:" + servers.get(0).port();
    String key = null;
    for (int i = 0; key == null; i++) {
      if (service.replicasOf("r" + i).contains(server0)) {
        key = "r" + i;
      }
    }
    try (Jedis jedis = new Jedis("127.0.0.1", router.port());
        Jedis replica = new Jedis("127.0.0.1", servers.get(0).port())) {
      String info = text(jedis.sendCommand(RouterServerTest.Cmd.INFO));
      assertThat(info).contains("\r\n# Catch-up\r\nread_repairs:0\r\nhints_replayed:0\r\nresync_records_copied:0\r\ntombstones_purged:0\r\n"
          + "tombstone_purges_pending:0\r\n")
          .contains(",catching_up=0,hints=0\r\n");

      jedis.sendCommand(RouterServerTest.Cmd.PUT, key, "{ \"v\" : 1 }");
      // Server 0 alone gets a newer version (as if the other replica had missed it), within the
      // servers' bound on versions ahead of their clocks.
      replica.sendCommand(() -> "VPUT".getBytes(StandardCharsets.UTF_8), key, Long.toString((System.currentTimeMillis() + 30_000) << 20), "{ \"v\" : 2 }");
      assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.GET, key))).isEqualTo("{ \"v\" : 2 }");
      Await.until("read_repairs:1 in INFO",
          () -> text(jedis.sendCommand(RouterServerTest.Cmd.INFO)).contains("read_repairs:1\r\n"));
    }
  }

  @Test
  void inlinePutTakesTheRestOfTheLine() throws Exception {
    try (RespTestClient client = new RespTestClient(router.port())) {
      client.sendRaw("PUT \"it's\" : { \"quote\" : \"say \\\"hi\\\"\" }\r\nGET \"it's\"\r\n");
      assertThat(client.read()).isEqualTo(kv.resp.Resp.OK);
      assertThat(client.read()).isEqualTo(kv.resp.Resp.Bulk.of("{ \"quote\" : \"say \\\"hi\\\"\" }"));
    }
  }

  @Test
  void concurrentPipelinedClientsReadTheirOwnWritesInOrder() throws Exception {
    int clients = 6;
    int perClient = 300;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
            Pipeline p = jedis.pipelined();
            List<Response<Object>> puts = new ArrayList<>();
            for (int i = 0; i < perClient; i++) {
              puts.add(p.sendCommand(RouterServerTest.Cmd.PUT, "c" + client + "k" + i, "{ \"i\" : " + i + " }"));
            }
            p.sync();
            for (Response<Object> put : puts) {
              assertThat(text(put.get())).isEqualTo("OK");
            }
            List<Response<Object>> gets = new ArrayList<>();
            for (int i = 0; i < perClient; i++) {
              gets.add(p.sendCommand(RouterServerTest.Cmd.QUERY, "c" + client + "k" + i + ".i"));
            }
            p.sync();
            for (int i = 0; i < perClient; i++) {
              assertThat(text(gets.get(i).get())).isEqualTo(Integer.toString(i));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
