package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import kv.broker.http.OpenApiCheck.Answer;
import kv.broker.testing.FakeEngine;
import kv.testkit.LogCapture;
import kv.broker.transport.netty.IoThreads;
import kv.record.Record;
import kv.record.RecordParser;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port with the clients' password: 401 with {@code WWW-Authenticate: Bearer} without the
 * header or with a wrong password (logged with the address), the API as usual with it; every
 * exchange checked against api/openapi.yml; curl as a user runs it.
 */
class HttpAuthTest {
  private static final String PASSWORD = "http pass";
  private final IoThreads io = IoThreads.start(2);
  private final FakeEngine engine = new FakeEngine();
  private HttpFrontEnd http;

  private OpenApiCheck start(AuthThrottle.Policy throttle) throws Exception {
    engine.records.put("person1", new Record("person1", new RecordParser().parseSet("{ \"name\" : \"John\" }")));
    Users users = new Users(Secret.of("test", PASSWORD), null);
    HttpApi api = new HttpApi(engine, "eventual", Duration.ofSeconds(20), Clock.systemUTC(), 1 << 20, null,
        new BearerAuth(users, throttle));
    http = HttpFrontEnd.start("127.0.0.1", 0, api, io);
    return new OpenApiCheck(http.port());
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    io.close();
  }

  @Test
  void withoutTheHeaderEveryPathIs401WithABearerChallenge() throws Exception {
    OpenApiCheck api = start(AuthThrottle.DEFAULT);
    for (String path : new String[] {"/keys/person1", "/keys/person1/name", "/admin/status", "/openapi.yml", "/"}) {
      Answer refused = api.get(path);
      assertThat(refused.status()).as(path).isEqualTo(401);
      assertThat(refused.headers()).containsEntry("www-authenticate", "Bearer realm=\"kvBroker\"");
      assertThat(refused.body()).isEqualTo("authentication required: this port has a password (expected: the header"
          + " Authorization: Bearer PASSWORD, the broker's --password-file or KV_PASSWORD)\n");
    }
    Answer basic = api.send("GET", "/keys/person1", Map.of("Authorization", "Basic dXNlcjpwYXNz"), null);
    assertThat(basic.status()).isEqualTo(401);
    Answer write = api.send("POST", "/keys/k", Map.of("Content-Type", "application/json"), "{\"type\":\"PUT\",\"value\":{}}");
    assertThat(write.status()).isEqualTo(401);
    assertThat(engine.records).doesNotContainKey("k");
  }

  @Test
  void theRightPasswordIsServedAndAWrongOneIsRefusedAndLogged() throws Exception {
    OpenApiCheck api = start(AuthThrottle.DEFAULT);
    Map<String, String> right = Map.of("Authorization", "Bearer " + PASSWORD);
    Answer got = api.send("GET", "/keys/person1", right, null);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("{\"name\":\"John\"}");
    assertThat(api.send("POST", "/keys/k", Map.of("Authorization", "bearer " + PASSWORD, "Content-Type",
        "application/json"), "{\"type\":\"PUT\",\"value\":{\"a\":1}}").status()).isEqualTo(204);
    assertThat(engine.records).containsKey("k");
    try (LogCapture log = new LogCapture("kv.broker.http")) {
      Answer wrong = api.send("GET", "/keys/person1", Map.of("Authorization", "Bearer guess"), null);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.headers()).containsEntry("www-authenticate", "Bearer realm=\"kvBroker\", error=\"invalid_token\"");
      assertThat(wrong.body()).isEqualTo("wrong password (expected: Authorization: Bearer PASSWORD with the broker's"
          + " clients' password)\n");
      assertThat(log.warnings()).singleElement().satisfies(m -> assertThat(m).matches("client /127\\.0\\.0\\.1:\\d+:"
          + " wrong password in Authorization: Bearer \\(1 failed authentications from 127\\.0\\.0\\.1 recently\\)"));
      assertThat(String.join("\n", log.messages())).doesNotContain("guess");
    }
    // the next attempt from that address waits its turn (200 ms by default), then is served
    assertThat(api.send("GET", "/keys/person1", right, null).status()).isEqualTo(200);
  }

  @Test
  void afterAWrongPasswordTheNextAttemptFromThatAddressWaitsWhileOthersWithoutOneAreAnswered() throws Exception {
    start(new AuthThrottle.Policy(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(10),
        Duration.ofMinutes(5)));
    try (RawHttp guesser = new RawHttp(http.port()); RawHttp other = new RawHttp(http.port())) {
      guesser.write(RawHttp.request("GET", "/keys/person1", null, "Authorization: Bearer guess1"));
      assertThat(guesser.read().status()).isEqualTo(401);
      guesser.write(RawHttp.request("GET", "/keys/person1", null, "Authorization: Bearer " + PASSWORD));
      other.write(RawHttp.request("GET", "/keys/person1", null));
      assertThat(other.read().status()).as("the event loop is free").isEqualTo(401);
      assertThat(guesser.silentFor(1000)).as("the attempt after a failure waits its turn").isTrue();
    }
  }

  @Test
  void curlWithAndWithoutThePassword() throws Exception {
    assumeThat(curlInstalled()).as("curl installed").isTrue();
    start(AuthThrottle.DEFAULT);
    String url = "http://127.0.0.1:" + http.port() + "/keys/person1";
    Answer refused = Curl.run("GET", url, null);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.headers()).containsEntry("www-authenticate", "Bearer realm=\"kvBroker\"");
    OpenApiCheck.validate("GET", "/keys/person1", Map.of(), null, refused);
    Answer ok = Curl.run("GET", url, null, "Authorization: Bearer " + PASSWORD);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"name\":\"John\"}");
  }

  private static boolean curlInstalled() {
    try {
      return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
