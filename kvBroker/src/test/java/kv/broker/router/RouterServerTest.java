package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kv.broker.command.CommandParser;
import kv.broker.testing.FakeEngine;
import kv.broker.testing.RespTestClient;
import kv.broker.transport.netty.IoThreads;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.resp.Resp;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

public class RouterServerTest {
  public enum Cmd implements ProtocolCommand {
    GET, QUERY, DELETE, PUT, INFO, STATUS, HELP;

    @Override
    public byte[] getRaw() {
      return SafeEncoder.encode(name());
    }
  }

  private final IoThreads io = IoThreads.start(2);
  private FakeEngine service;
  private RouterServer router;

  @BeforeEach
  void start() throws Exception {
    service = new FakeEngine();
    for (int i = 0; i < 100; i++) {
      service.records.put("person" + i, new Record("person" + i,
          SetValue.builder().put("name", new StringValue("n" + i)).put("age", new IntValue(i)).build()));
    }
    Map<String, String> info = new LinkedHashMap<>();
    info.put("kv_version", "test");
    info.put("k", "2");
    RouterCommands commands = new RouterCommands(service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(5), info, Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
  }

  @AfterEach
  void stop() {
    router.close();
    io.close();
  }

  private static String text(Object reply) {
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  @Test
  void answersLikeKvServerThroughJedis() {
    try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.echo("hi there")).isEqualTo("hi there");
      assertThat(text(jedis.sendCommand(Cmd.GET, "person1"))).isEqualTo("{ \"name\" : \"n1\" ; \"age\" : 1 }");
      assertThat(jedis.sendCommand(Cmd.GET, "nobody")).isNull();
      assertThat(jedis.sendCommand(Cmd.DELETE, "person1")).isEqualTo(1L);
      assertThat(jedis.sendCommand(Cmd.DELETE, "person1")).isEqualTo(0L);
      assertThat(jedis.sendCommand(Cmd.GET, "person1")).isNull();
      assertThatThrownBy(() -> jedis.sendCommand(() -> SafeEncoder.encode("FOO"), "x"))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR unknown command 'FOO' (try: help)");
      assertThatThrownBy(() -> jedis.sendCommand(Cmd.GET))
          .isInstanceOf(JedisDataException.class)
          .hasMessage("ERR wrong number of arguments for 'GET' (expected: GET key)");
      String info = text(jedis.sendCommand(Cmd.INFO));
      assertThat(info).contains("kv_version:test\r\n", "k:2\r\n", "servers:2\r\n", "connected_clients:1\r\n",
          "tcp_port:" + router.port() + "\r\n",
          "server0:address=127.0.0.1:9000,state=up");
      // Where Netty's epoll library loads (this Linux x86-64), the router runs on it, as Redis on epoll.
      assertThat(info).contains("multiplexing_api:" + (Epoll.isAvailable() ? "epoll" : "nio") + "\r\n");
      assertThat(text(jedis.sendCommand(Cmd.STATUS))).startsWith("ADDRESS").contains("127.0.0.1:9001");
      assertThat(text(jedis.sendCommand(Cmd.HELP))).contains("GET key");
    }
  }

  @Test
  void aKeyThatIsNotUtf8IsAnErrorReplyAndTheConnectionStaysUsable() {
    try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
      assertThatThrownBy(() -> jedis.sendCommand(Cmd.GET, new byte[] {'u', (byte) 0xff}))
          .isInstanceOf(JedisDataException.class)
          .hasMessageContaining("invalid UTF-8 at byte offset 1");
      assertThat(text(jedis.sendCommand(Cmd.GET, "person1"))).isEqualTo("{ \"name\" : \"n1\" ; \"age\" : 1 }");
    }
  }

  @Test
  void failuresAreErrorRepliesWithMeaningfulPrefixes() throws Exception {
    service.downKeys.add("person2");
    try (RespTestClient client = new RespTestClient(router.port())) {
      assertThat(client.call("GET", "person2")).isEqualTo(new Resp.Error(
          "CLUSTERDOWN 2 or more servers are down (127.0.0.1:9001, 127.0.0.1:9002):"
              + " cannot guarantee a correct answer for 'person2'"));
      assertThat(client.call("DELETE", "person2")).isEqualTo(new Resp.Error(
          "TRYAGAIN cannot delete 'person2' reliably: replica server 127.0.0.1:9001 is down; nothing was deleted"));
      assertThat(client.call("GET", "person3")).isInstanceOf(Resp.Bulk.class);
    }
  }

  @Test
  void aReplyThatNeverComesIsAnsweredWithAnErrorAfterTheTimeoutAndThePipelineMovesOn() throws Exception {
    service.unanswered.add("lost");
    RouterCommands commands = new RouterCommands(service, new CommandParser(new RecordParser()),
        Duration.ofMillis(300), Map.of("kv_version", "test"), Clock.systemUTC());
    try (RouterServer impatient = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
        RespTestClient client = new RespTestClient(impatient.port())) {
      long start = System.nanoTime();
      client.send("GET", "lost");
      client.send("GET", "person1");
      assertThat(client.read()).isEqualTo(new Resp.Error(
          "ERR no answer within 300 ms (the request may or may not have been applied)"));
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
      assertThat(client.read()).isEqualTo(Resp.Bulk.of("{ \"name\" : \"n1\" ; \"age\" : 1 }"));
      assertThat(client.call("PING")).isEqualTo(new Resp.Simple("PONG"));
    }
  }

  @Test
  void inlineCommandsAndQuit() throws Exception {
    try (RespTestClient client = new RespTestClient(router.port())) {
      client.sendRaw("GET person1\r\n\r\nget \"person2\"\r\nPING\r\n");
      assertThat(client.read()).isEqualTo(Resp.Bulk.of("{ \"name\" : \"n1\" ; \"age\" : 1 }"));
      assertThat(client.read()).isEqualTo(Resp.Bulk.of("{ \"name\" : \"n2\" ; \"age\" : 2 }"));
      assertThat(client.read()).isEqualTo(new Resp.Simple("PONG"));
      client.sendRaw("QUERY \"person3\".\"name\"\r\nPUT nobody\r\n");
      assertThat(client.read()).isEqualTo(Resp.Bulk.of("\"n3\""));
      assertThat(client.read()).isInstanceOf(Resp.Error.class);
      client.sendRaw("QUIT\r\nPING\r\n");
      assertThat(client.read()).isEqualTo(Resp.OK);
      assertThat(client.read()).isNull();
    }
  }

  @Test
  void protocolErrorGetsAnErrorThenTheConnectionCloses() throws Exception {
    try (RespTestClient client = new RespTestClient(router.port())) {
      client.sendRaw("PING\r\n*1\r\n$abc\r\n");
      assertThat(client.read()).isEqualTo(new Resp.Simple("PONG"));
      assertThat(client.read()).isInstanceOf(Resp.Error.class)
          .satisfies(e -> assertThat(((Resp.Error) e).text()).startsWith("ERR Protocol error"));
      assertThat(client.read()).isNull();
    }
  }

  @Test
  void manySmallArgumentsCountTowardsTheRequestLimit() throws Exception {
    RouterCommands commands = new RouterCommands(service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(5), Map.of(), Clock.systemUTC());
    RespLimits limits = new RespLimits(64 * 1024, 4096, 1024 * 1024);
    RouterServer small = RouterServer.start("127.0.0.1", 0, commands, limits, io);
    try (RespTestClient client = new RespTestClient(small.port())) {
      // 10,000 one-byte arguments: each within the 4 KiB argument limit, together just over the
      // request limit (4 KiB + 64 KiB of framing), whether they arrive in one read or several.
      int n = 10_000;
      StringBuilder request = new StringBuilder("*" + (n + 1) + "\r\n$6\r\nEXISTS\r\n");
      request.append("$1\r\nx\r\n".repeat(n));
      client.sendRaw(request.toString());
      assertThat(client.read()).isInstanceOf(Resp.Error.class)
          .satisfies(e -> assertThat(((Resp.Error) e).text()).startsWith("ERR Protocol error: request: more than 69632"));
      assertThat(client.read()).isNull();
    } finally {
      small.close();
    }
  }

  @Test
  void pipelinedRepliesComeInRequestOrderAlthoughTheyCompleteOutOfOrder() throws Exception {
    service.maxDelayMillis = 5;
    int n = 3000; // more than MAX_PENDING: the router must pause and resume decoding
    try (RespTestClient client = new RespTestClient(router.port())) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String key = "person" + (i % 150); // person100..149 do not exist
        batch.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
      }
      client.sendRaw(batch.toString());
      for (int i = 0; i < n; i++) {
        int id = i % 150;
        Resp expected = id < 100 ? Resp.Bulk.of("{ \"name\" : \"n" + id + "\" ; \"age\" : " + id + " }")
            : Resp.NullBulk.INSTANCE;
        assertThat(client.read()).as("reply %d", i).isEqualTo(expected);
      }
    }
  }

  @Test
  void manyConcurrentClientsWithJedisPipelines() throws Exception {
    service.maxDelayMillis = 3;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", router.port())) {
            for (int round = 0; round < 5; round++) {
              Pipeline p = jedis.pipelined();
              List<Response<Object>> replies = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                replies.add(p.sendCommand(Cmd.GET, "person" + ((i + client) % 100)));
              }
              p.sync();
              for (int i = 0; i < 100; i++) {
                int id = (i + client) % 100;
                assertThat(text(replies.get(i).get())).isEqualTo("{ \"name\" : \"n" + id + "\" ; \"age\" : " + id + " }");
              }
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
