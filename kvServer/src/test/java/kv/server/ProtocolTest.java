package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kv.resp.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Raw bytes over sockets: inline commands, pipelining, split input, garbage and limits. */
class ProtocolTest {
  private static final int MAX_REQUEST = 4096;
  private static KvServer server;
  private static KvServer small;

  @BeforeAll
  static void startServers() {
    server = KvServer.start(ServerConfig.defaults());
    small = KvServer.start(ServerConfig.defaults().withMaxRequestBytes(MAX_REQUEST).withMaxDepth(3));
  }

  @AfterAll
  static void stopServers() {
    server.close();
    small.close();
  }

  private static Resp bulk(String s) {
    return Resp.Bulk.of(s);
  }

  private static boolean isError(Resp reply, String prefix) {
    return reply instanceof Resp.Error e && e.text().startsWith(prefix);
  }

  @Test
  void inlineCommandsAsTypedInNc() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("PUT \"inline1\" : { \"name\" : \"John\" ; \"age\" : 22 }\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      c.send("GET inline1\r\n");
      assertThat(c.read()).isEqualTo(bulk("{ \"name\" : \"John\" ; \"age\" : 22 }"));
      c.send("get \"inline1\"\n");
      assertThat(c.read()).isEqualTo(bulk("{ \"name\" : \"John\" ; \"age\" : 22 }"));
      c.send("PUT inline2:{\"a.b\":{\"c\":[1,2]},\"s\":\"x y\"}\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      c.send("QUERY inline2.\"a.b\".c.1\r\n");
      assertThat(c.read()).isEqualTo(bulk("2"));
      c.send("QUERY inline1.name\r\nQUERY inline1.none\r\n");
      assertThat(c.read()).isEqualTo(bulk("\"John\""));
      assertThat(c.read()).isEqualTo(Resp.NullBulk.INSTANCE);
    }
  }

  @Test
  void emptyLinesGetNoReply() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("\r\n\n   \r\nPING\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Simple("PONG"));
      c.send("\r\n");
      assertThat(c.silentFor(200)).isTrue();
    }
  }

  @Test
  void errorsKeepTheConnectionUsable() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.send("FOO bar\r\nPUT \"person5\" : \"hello\"\r\nPUT \"person6\" : { \"address\" : { \"there\" } }\r\n"
          + "PUT \"person7\" : { \"a\" : 1\r\nGET\r\nPING\r\n");
      assertThat(c.read()).isEqualTo(new Resp.Error("ERR unknown command 'FOO'"));
      assertThat(isError(c.read(), "ERR invalid record: ")).isTrue();
      assertThat(isError(c.read(), "ERR invalid record: ")).isTrue();
      assertThat(isError(c.read(), "ERR invalid record: ")).isTrue();
      assertThat(isError(c.read(), "ERR wrong number of arguments for 'get' command")).isTrue();
      assertThat(c.read()).isEqualTo(new Resp.Simple("PONG"));
    }
  }

  @Test
  void pipelinedRequestsSplitIntoSingleBytesAreAnsweredInOrder() throws Exception {
    String requests = "*3\r\n$3\r\nPUT\r\n$5\r\nsplit\r\n$11\r\n{ \"a\" : 1 }\r\n"
        + "GET split\r\n*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\nPING\r\n*2\r\n$6\r\nEXISTS\r\n$5\r\nsplit\r\n";
    try (RawClient c = new RawClient(server.port())) {
      for (byte b : requests.getBytes(StandardCharsets.UTF_8)) {
        c.send(new byte[] {b});
      }
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(c.read()).isEqualTo(bulk("{ \"a\" : 1 }"));
      assertThat(c.read()).isEqualTo(bulk("a\r\nb"));
      assertThat(c.read()).isEqualTo(new Resp.Simple("PONG"));
      assertThat(c.read()).isEqualTo(new Resp.Int(1));
    }
  }

  @Test
  void framingGarbageGetsAnErrorThenTheConnectionCloses() throws Exception {
    List<String> garbage = List.of("*abc\r\n", "*2\r\n+PING\r\n", "*1\r\n$x\r\n", "*1\r\n$4\r\nPINGxx",
        "PING \"unbalanced\r\n", "*-5\r\n");
    for (String bytes : garbage) {
      try (RawClient c = new RawClient(server.port())) {
        c.send(bytes);
        Resp reply = c.read();
        assertThat(isError(reply, "ERR Protocol error: ")).as("reply to %s: %s", bytes, reply).isTrue();
        assertThat(c.closedByServer()).as("closed after %s", bytes).isTrue();
      }
    }
    try (Jedis jedis = ServerFixture.client(server)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void binaryNoiseNeverKillsTheServer() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (int round = 0; round < 30; round++) {
      byte[] noise = new byte[1 + random.nextInt(3000)];
      random.nextBytes(noise);
      try (RawClient c = new RawClient(server.port())) {
        c.send(noise).send("\r\n");
        c.socket().shutdownOutput();
        // whatever the replies are, they are well-formed RESP and end with the connection closed
        while (c.readOrNull() != null) {
          // drain
        }
      } catch (java.io.IOException e) {
        // the server closed early (protocol error) while noise was still being sent: fine
      }
    }
    try (Jedis jedis = ServerFixture.client(server)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void requestsOverTheLimitAreRefusedBeforeTheyArrive() throws Exception {
    try (RawClient c = new RawClient(small.port())) {
      c.send("*3\r\n$3\r\nPUT\r\n$3\r\nbig\r\n$100000000\r\n");
      Resp reply = c.read();
      assertThat(isError(reply, "ERR Protocol error: ")).as("%s", reply).isTrue();
      assertThat(((Resp.Error) reply).text()).contains("100000000");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = new RawClient(small.port())) {
      c.send("PING " + "x".repeat(MAX_REQUEST * 2));
      assertThat(isError(c.read(), "ERR Protocol error: ")).isTrue();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void manySmallArgumentsCountTowardsTheRequestLimit() throws Exception {
    // 10,000 one-byte arguments: just over the framed limit (4 KiB + 64 KiB of framing slack), so
    // the server has read the whole request when it refuses it and closes. Sending far more
    // raced the close: the client's write failed with a broken pipe before it read the reply.
    int n = 10_000;
    StringBuilder request = new StringBuilder("*" + (n + 1) + "\r\n$6\r\nEXISTS\r\n");
    for (int i = 0; i < n; i++) {
      request.append("$1\r\nx\r\n");
    }
    try (RawClient c = new RawClient(small.port())) {
      c.send(request.toString());
      Resp reply = c.read();
      assertThat(isError(reply, "ERR Protocol error: request: more than")).as("%s", reply).isTrue();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void recordsDeeperThanTheLimitAreRefused() throws Exception {
    try (RawClient c = new RawClient(small.port())) {
      c.send("PUT d : { \"a\" : { \"b\" : { \"c\" : 1 } } }\r\nPUT d : { \"a\" : { \"b\" : { \"c\" : { \"d\" : 1 } } } }\r\n");
      assertThat(c.read()).isEqualTo(Resp.OK);
      assertThat(isError(c.read(), "ERR invalid record: ")).isTrue();
    }
  }

  @Test
  void oneMegabyteRecord() {
    StringBuilder text = new StringBuilder("{ ");
    int i = 0;
    while (text.length() < 1024 * 1024) {
      text.append(i == 0 ? "" : " ; ").append("\"field").append(i).append("\" : \"")
          .append("v".repeat(100)).append(i).append('"');
      i++;
    }
    text.append(" }");
    String set = text.toString();
    try (Jedis jedis = ServerFixture.client(server)) {
      assertThat(ServerFixture.send(jedis, Cmd.PUT, "mega", set)).isEqualTo("OK");
      assertThat(ServerFixture.send(jedis, Cmd.GET, "mega")).isEqualTo(set);
      assertThat(ServerFixture.send(jedis, Cmd.QUERY, "mega.field" + (i - 1))).isEqualTo("\"" + "v".repeat(100) + (i - 1) + "\"");
    }
  }

  @Test
  void replyBytesArriveInRequestOrderOnOneConnection() throws Exception {
    StringBuilder requests = new StringBuilder();
    List<Resp> expected = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      requests.append("ECHO m").append(i).append("\r\n");
      expected.add(bulk("m" + i));
    }
    try (RawClient c = new RawClient(server.port())) {
      c.send(requests.toString());
      for (Resp e : expected) {
        assertThat(c.read()).isEqualTo(e);
      }
    }
  }
}
