package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kv.broker.eventual.RealCluster;
import kv.broker.http.OpenApiCheck.Answer;
import kv.broker.testing.FakeEngine;
import kv.record.Record;
import kv.record.RecordParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP connection over real sockets: keep-alive, pipelined requests answered (and taking
 * effect) in order, bytes one at a time, Connection: close, the body limit before the body is
 * read, Expect: 100-continue, malformed HTTP, many concurrent clients. Every answer is checked
 * against api/openapi.yml.
 */
class HttpConnectionTest {
  private static final int MAX_BODY = 4096;
  private static final String JSON = "Content-Type: application/json";
  private static RealCluster cluster;
  private static HttpFrontEnd http;
  private static OpenApiCheck api;

  @BeforeAll
  static void start() throws Exception {
    cluster = new RealCluster(3, 2);
    HttpApi routes = new HttpApi(cluster.service, "eventual", Duration.ofSeconds(20), Clock.systemUTC(), MAX_BODY);
    http = HttpFrontEnd.start("127.0.0.1", 0, routes, cluster.io);
    api = new OpenApiCheck(http.port());
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A request and the answer the test expects: method, target, body (or null), status, body. */
  private record Step(String method, String target, String body, int status, String answer) {
    byte[] bytes() {
      return body == null ? RawHttp.request(method, target, null) : RawHttp.request(method, target, body, JSON);
    }

    void check(Answer got) {
      assertThat(got.status()).as("%s %s", method, target).isEqualTo(status);
      if (answer != null) {
        assertThat(got.body()).as("%s %s", method, target).isEqualTo(answer);
      }
      OpenApiCheck.validate(method, target, body == null ? Map.of() : Map.of("Content-Type", "application/json"), body,
          got);
    }
  }

  private static List<Step> putAppendGetDelete(String key) {
    String target = "/keys/" + key;
    return List.of(
        new Step("POST", target, "{\"type\":\"PUT\",\"value\":[1]}", 204, ""),
        new Step("GET", target, null, 200, "[1]"),
        new Step("POST", target, "{\"type\":\"APPEND\",\"value\":2}", 204, ""),
        new Step("GET", target, null, 200, "[1,2]"),
        new Step("GET", target + "/1", null, 200, "2"),
        new Step("GET", "/keys/never-" + key, null, 404, null),
        new Step("DELETE", target, null, 204, ""),
        new Step("GET", target, null, 404, null),
        new Step("GET", "/admin/status", null, 200, null));
  }

  @Test
  void pipelinedRequestsAreAnsweredAndTakeEffectInOrder() throws Exception {
    List<Step> steps = putAppendGetDelete("piped");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Step step : steps) {
      all.write(step.bytes());
    }
    try (RawHttp raw = new RawHttp(http.port())) {
      raw.write(all.toByteArray()); // every request in one write, before any answer
      for (Step step : steps) {
        step.check(raw.read());
      }
      // The connection stays open for more.
      Step again = new Step("GET", "/keys/never-piped", null, 404, "'never-piped': not found\n");
      raw.write(again.bytes());
      again.check(raw.read());
    }
  }

  @Test
  void requestsSentOneByteAtATimeAreAnswered() throws Exception {
    List<Step> steps = putAppendGetDelete("bytewise");
    try (RawHttp raw = new RawHttp(http.port())) {
      for (Step step : steps.subList(0, 5)) {
        raw.writeByteByByte(step.bytes());
        step.check(raw.read());
      }
    }
  }

  @Test
  void answersComeInRequestOrderWhenTheEngineAnswersOutOfOrder() throws Exception {
    FakeEngine engine = new FakeEngine();
    engine.maxDelayMillis = 20; // each answer after a random delay: they complete in any order
    int n = 200;
    RecordParser parser = new RecordParser();
    for (int i = 0; i < n; i++) {
      engine.records.put("k" + i, new Record("k" + i, parser.parseSet("{ \"i\" : " + i + " }")));
    }
    HttpFrontEnd fake = HttpFrontEnd.start("127.0.0.1", 0,
        new HttpApi(engine, "eventual", Duration.ofSeconds(20), Clock.systemUTC(), MAX_BODY), cluster.io);
    try (RawHttp raw = new RawHttp(fake.port())) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < n; i++) {
        all.write(RawHttp.request("GET", "/keys/k" + i, null));
      }
      raw.write(all.toByteArray());
      for (int i = 0; i < n; i++) {
        Answer got = raw.read();
        assertThat(got.body()).as("answer %d", i).isEqualTo("{\"i\":" + i + "}");
        OpenApiCheck.validate("GET", "/keys/k" + i, Map.of(), null, got);
      }
    } finally {
      fake.close();
    }
  }

  @Test
  void connectionCloseIsTheLastRequestAnswered() throws Exception {
    try (RawHttp raw = new RawHttp(http.port())) {
      raw.write(RawHttp.request("GET", "/keys/none", null, "Connection: close"));
      Answer got = raw.read();
      assertThat(got.status()).isEqualTo(404);
      assertThat(got.headers()).containsEntry("connection", "close");
      OpenApiCheck.validate("GET", "/keys/none", Map.of(), null, got);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
    try (RawHttp raw = new RawHttp(http.port())) {
      // Only the headers: the answer must not wait for a gigabyte that never comes.
      raw.write(("POST /keys/huge HTTP/1.1\r\nHost: x\r\n" + JSON + "\r\nContent-Length: 1000000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      Answer got = raw.read();
      assertThat(got.status()).isEqualTo(413);
      assertThat(got.body()).isEqualTo("body: 1000000000 bytes (expected: at most " + MAX_BODY + " bytes)\n");
      OpenApiCheck.validateResponse("POST", "/keys/huge", got);
    }
  }

  @Test
  void afterA413WithItsBodySentTheConnectionGoesOn() throws Exception {
    String big = "{\"type\":\"PUT\",\"value\":\"" + "x".repeat(MAX_BODY) + "\"}";
    Step small = new Step("POST", "/keys/after-413", "{\"type\":\"PUT\",\"value\":1}", 204, "");
    try (RawHttp raw = new RawHttp(http.port())) {
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(RawHttp.request("POST", "/keys/big", big, JSON));
      both.write(small.bytes());
      raw.write(both.toByteArray());
      Answer tooLarge = raw.read();
      assertThat(tooLarge.status()).isEqualTo(413);
      OpenApiCheck.validateResponse("POST", "/keys/big", tooLarge);
      small.check(raw.read());
    }
  }

  @Test
  void aChunkedBodyThatGrowsPastTheLimitIs413() throws Exception {
    try (RawHttp raw = new RawHttp(http.port())) {
      String chunk = "x".repeat(1000);
      StringBuilder request = new StringBuilder("POST /keys/chunked HTTP/1.1\r\nHost: x\r\n" + JSON
          + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 6; i++) {
        request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
      }
      request.append("0\r\n\r\n");
      raw.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      Answer got = raw.read();
      assertThat(got.status()).isEqualTo(413);
      assertThat(got.body()).isEqualTo("body: more than " + MAX_BODY + " bytes (expected: at most " + MAX_BODY
          + " bytes)\n");
      OpenApiCheck.validateResponse("POST", "/keys/chunked", got);
    }
  }

  @Test
  void expectContinueGetsA100ThenTheAnswerOrA413AndClose() throws Exception {
    String body = "{\"type\":\"PUT\",\"value\":\"continued\"}";
    try (RawHttp raw = new RawHttp(http.port())) {
      raw.write(("POST /keys/continued HTTP/1.1\r\nHost: x\r\n" + JSON + "\r\nExpect: 100-continue\r\nContent-Length: "
          + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.read().status()).isEqualTo(100);
      raw.write(body.getBytes(StandardCharsets.US_ASCII));
      Answer got = raw.read();
      assertThat(got.status()).isEqualTo(204);
      OpenApiCheck.validate("POST", "/keys/continued", Map.of("Content-Type", "application/json"), body, got);
    }
    try (RawHttp raw = new RawHttp(http.port())) {
      raw.write(("POST /keys/refused HTTP/1.1\r\nHost: x\r\n" + JSON + "\r\nExpect: 100-continue\r\nContent-Length: "
          + (MAX_BODY + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Answer got = raw.read();
      assertThat(got.status()).as("no 100 Continue for a body over the limit").isEqualTo(413);
      assertThat(got.headers()).containsEntry("connection", "close");
      OpenApiCheck.validateResponse("POST", "/keys/refused", got);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void malformedHttpIs400AndTheConnectionCloses() throws Exception {
    try (RawHttp raw = new RawHttp(http.port())) {
      raw.write(("GET /keys/" + "k".repeat(HttpFrontEnd.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      Answer got = raw.read();
      assertThat(got.status()).isEqualTo(400);
      assertThat(got.body()).startsWith("malformed HTTP request: ").contains("65536");
      // The file documents this 400 for every path (as BadRequest); check it against one.
      OpenApiCheck.validateResponse("GET", "/keys/k", got);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  /** Found by HttpFuzzTest: a request the codec throws on (an empty Content-Length) once dropped the answers before it. */
  @Test
  void aRequestTheCodecCannotReadIs400AfterTheAnswersBeforeIt() throws Exception {
    try (RawHttp raw = new RawHttp(http.port())) {
      byte[] first = RawHttp.request("GET", "/keys/none", null);
      byte[] broken = "POST /keys/k HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
      byte[] both = java.util.Arrays.copyOf(first, first.length + broken.length);
      System.arraycopy(broken, 0, both, first.length, broken.length);
      raw.write(both);
      assertThat(raw.read().status()).isEqualTo(404);
      Answer got = raw.read();
      assertThat(got.status()).isEqualTo(400);
      assertThat(got.body()).startsWith("malformed HTTP request: ");
      OpenApiCheck.validateResponse("POST", "/keys/k", got);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  /** Found by HttpFuzzTest too: after a last request (Connection: close), bytes the codec throws on dropped its answer. */
  @Test
  void theLastRequestIsAnsweredWhateverFollowsIt() throws Exception {
    try (RawHttp raw = new RawHttp(http.port())) {
      byte[] last = RawHttp.request("GET", "/keys/none", null, "Connection: close");
      byte[] broken = "POST /keys/k HTTP/1.1\r\nContent-Length: \r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] both = java.util.Arrays.copyOf(last, last.length + broken.length);
      System.arraycopy(broken, 0, both, last.length, broken.length);
      raw.write(both);
      assertThat(raw.read().status()).isEqualTo(404);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void manyConcurrentClients() throws Exception {
    int clients = 8;
    int each = 40;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          OpenApiCheck own = new OpenApiCheck(http.port()); // its own HttpClient and connection
          for (int i = 0; i < each; i++) {
            String key = "/keys/c" + client + "-" + i;
            assertThat(own.post(key, "{\"type\":\"PUT\",\"value\":{\"client\":" + client + ",\"i\":" + i + "}}").status())
                .isEqualTo(204);
            assertThat(own.get(key + "/i").body()).isEqualTo(Integer.toString(i));
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
