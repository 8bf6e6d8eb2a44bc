package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import kv.broker.engine.Outcome;
import kv.broker.eventual.RealCluster;
import kv.broker.http.OpenApiCheck.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API in front of three real kvServers (k = 2) through a real eventual engine, over real
 * HTTP (the JDK's client); every exchange is checked against api/openapi.yml.
 */
class HttpApiIntegrationTest {
  static final int MAX_BODY = 64 * 1024;
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

  @Test
  void referenceClientsPutAppendAndGetAList() {
    Answer put = api.post("/keys/pets", "{\"type\": \"PUT\", \"value\": [\"cat\", \"dog\"]}");
    assertThat(put.status()).isEqualTo(204);
    assertThat(put.body()).isEmpty();
    assertThat(put.headers()).containsEntry("kv-acknowledged", "2/2");
    assertThat(api.post("/keys/pets", "{\"type\": \"APPEND\", \"value\": \"mouse\"}").status()).isEqualTo(204);

    Answer get = api.get("/keys/pets");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.contentType()).isEqualTo("application/json");
    assertThat(get.body()).isEqualTo("[\"cat\",\"dog\",\"mouse\"]");
  }

  @Test
  void appendToAValueThatIsNotAListIsRefusedWithItsType() {
    assertThat(api.post("/keys/greeting", "{\"type\":\"PUT\",\"value\":\"hello\"}").status()).isEqualTo(204);
    Answer refused = api.post("/keys/greeting", "{\"type\":\"APPEND\",\"value\":\"x\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("text/plain");
    assertThat(refused.body()).isEqualTo("APPEND greeting: the value there is a string, not a list (APPEND adds to"
        + " a list; PUT replaces a value)\n");
    assertThat(api.get("/keys/greeting").body()).as("never coerced").isEqualTo("\"hello\"");

    api.post("/keys/doc", "{\"type\":\"PUT\",\"value\":{\"a\":1}}");
    assertThat(api.post("/keys/doc", "{\"type\":\"APPEND\",\"value\":2}").body()).contains("is a set, not a list");
  }

  @Test
  void appendCreatesTheListAndAppendsAListAsOneElement() {
    assertThat(api.post("/keys/fresh-list", "{\"type\":\"APPEND\",\"value\":\"first\"}").status()).isEqualTo(204);
    assertThat(api.post("/keys/fresh-list", "{\"type\":\"APPEND\",\"value\":[\"a\",\"b\"]}").status()).isEqualTo(204);
    assertThat(api.get("/keys/fresh-list").body()).isEqualTo("[\"first\",[\"a\",\"b\"]]");
  }

  @Test
  void anyJsonValueRoundTrips() {
    String[] values = {"{\"name\":\"Mary\",\"address\":{\"street\":\"Panepistimiou\",\"number\":12},\"tags\":[]}",
        "[1,2.5,true,null,\"\\u00e9\\n\"]", "\"hello\"", "42", "-7.25", "true", "false", "null", "{}", "[]"};
    for (int i = 0; i < values.length; i++) {
      String key = "/keys/value" + i;
      assertThat(api.post(key, "{\"type\":\"PUT\",\"value\":" + values[i] + "}").status()).as(values[i]).isEqualTo(204);
      Answer got = api.get(key);
      assertThat(got.status()).as(values[i]).isEqualTo(200);
      assertThat(got.body()).isEqualTo(values[i].replace("\\u00e9", "\u00e9"));
    }
  }

  @Test
  void pathsReadInsideAValue() {
    api.post("/keys/person2", "{\"type\":\"PUT\",\"value\":{\"name\":\"Mary\",\"address\":{\"street\":\"Panepistimiou\","
        + "\"number\":12},\"tags\":[\"a\",\"b\"],\"a.b\":{\"c d\":true}}}");
    assertThat(api.get("/keys/person2/address/number").body()).isEqualTo("12");
    assertThat(api.get("/keys/person2/address").body()).isEqualTo("{\"street\":\"Panepistimiou\",\"number\":12}");
    assertThat(api.get("/keys/person2/tags/1").body()).isEqualTo("\"b\"");
    assertThat(api.get("/keys/person2/a.b/c%20d").body()).isEqualTo("true");
    Answer missing = api.get("/keys/person2/phone");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("person2.phone: not found\n");
    assertThat(api.get("/keys/person2/tags/2").status()).isEqualTo(404);
    assertThat(api.get("/keys/nobody/name").status()).isEqualTo(404);
    Answer empty = api.sendRaw("GET", "/keys/person2/address/", null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body()).contains("path segment 4: empty");
  }

  @Test
  void missingKeysAre404AndDeleteRemoves() throws Exception {
    Answer missing = api.get("/keys/never-written");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("'never-written': not found\n");
    assertThat(api.delete("/keys/never-written").status()).isEqualTo(404);

    api.post("/keys/doomed", "{\"type\":\"PUT\",\"value\":[1]}");
    assertThat(api.delete("/keys/doomed").status()).isEqualTo(204);
    assertThat(api.get("/keys/doomed").status()).isEqualTo(404);
    assertThat(cluster.get("doomed")).isInstanceOf(Outcome.NotFound.class);
  }

  @Test
  void keysArePercentDecodedUtf8() throws Exception {
    assertThat(api.post("/keys/a%2Fb", "{\"type\":\"PUT\",\"value\":1}").status()).isEqualTo(204);
    assertThat(cluster.get("a/b")).isEqualTo(new Outcome.Found("a/b", "1"));
    assertThat(api.get("/keys/a%2Fb").body()).isEqualTo("1");
    assertThat(api.get("/keys/a").status()).as("a/b is one key, not a path").isEqualTo(404);

    assertThat(api.post("/keys/%CE%BA%CE%BB%CE%B5%CE%B9%CE%B4%CE%AF%20%E2%9C%93", "{\"type\":\"PUT\",\"value\":2}")
        .status()).isEqualTo(204);
    assertThat(cluster.get("\u03ba\u03bb\u03b5\u03b9\u03b4\u03af \u2713")).isInstanceOf(Outcome.Found.class);
    assertThat(api.post("/keys/plus+sign", "{\"type\":\"PUT\",\"value\":3}").status()).isEqualTo(204);
    assertThat(cluster.get("plus+sign")).as("+ is a plus in a path").isInstanceOf(Outcome.Found.class);

    Answer badEscape = api.sendRaw("GET", "/keys/a%zzb", null);
    assertThat(badEscape.status()).isEqualTo(400);
    assertThat(badEscape.body()).isEqualTo("path segment 2: invalid percent-encoding '%zz' at character 8 of the path"
        + " '/keys/a%zzb' (expected: % and two hex digits, as in %2F for /)\n");
    Answer badUtf8 = api.sendRaw("GET", "/keys/ok%C3%28", null);
    assertThat(badUtf8.status()).isEqualTo(400);
    assertThat(badUtf8.body()).startsWith("path segment 2: invalid UTF-8 at byte 3 of its 4 decoded bytes");
    Answer nul = api.sendRaw("POST", "/keys/k%00x", "{\"type\":\"PUT\",\"value\":1}", "Content-Type: application/json");
    assertThat(nul.status()).isEqualTo(400);
    assertThat(nul.body()).contains("U+0000 at character 2");
    Answer emptyKey = api.sendOutside("GET", "/keys/", Map.of(), null);
    assertThat(emptyKey.status()).isEqualTo(404);
    assertThat(emptyKey.body()).startsWith("no such resource: /keys/ (expected: /keys/{key} with a key of at least");
  }

  @Test
  void badBodiesAre400SayingWhatAndWhere() {
    Answer malformed = invalid("{\"type\": \"PUT\",\n \"value\": [1,\n 2 3]}");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("text/plain");
    assertThat(malformed.body()).startsWith("body: expected ',' or ';' between items").contains("at line 3 column 4");
    assertThat(invalid("{\"value\": 1}").body()).startsWith("/type: missing");
    assertThat(invalid("{\"type\": \"PUT\"}").body()).startsWith("/value: missing");
    assertThat(invalid("{\"type\": \"MERGE\", \"value\": 1}").body())
        .isEqualTo("/type: \"MERGE\" (expected: \"PUT\" or \"APPEND\")\n");
    assertThat(invalid("{\"type\": \"PUT\", \"value\": 1, \"ttl\": 5}").body())
        .startsWith("/ttl: unknown member");
    assertThat(invalid("{type: \"PUT\", value: 1}").body())
        .startsWith("body: not standard JSON at line 1 column 3");
    assertThat(invalid("[\"PUT\", 1]").body()).startsWith("body: a list (expected: an object");
    assertThat(invalid("").body()).startsWith("body: empty");
    assertThat(api.get("/keys/x").status()).as("nothing was written").isEqualTo(404);
  }

  private static Answer invalid(String body) {
    return api.sendInvalid("POST", "/keys/x", Map.of("Content-Type", "application/json"), body);
  }

  @Test
  void onlyJsonBodiesAreTaken() {
    Answer text = api.sendInvalid("POST", "/keys/ct", Map.of("Content-Type", "text/plain"), "{\"type\":\"PUT\",\"value\":1}");
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.body()).isEqualTo("Content-Type: text/plain (expected: application/json)\n");
    Answer none = api.send("POST", "/keys/ct", Map.of(), "{\"type\":\"PUT\",\"value\":1}");
    assertThat(none.status()).isEqualTo(415);
    assertThat(none.body()).startsWith("Content-Type: missing");
    Answer latin1 = api.send("POST", "/keys/ct", Map.of("Content-Type", "application/json; charset=ISO-8859-1"),
        "{\"type\":\"PUT\",\"value\":1}");
    assertThat(latin1.status()).isEqualTo(415);
    assertThat(latin1.body()).contains("charset=ISO-8859-1");
    assertThat(api.send("POST", "/keys/ct", Map.of("Content-Type", "application/json; charset=UTF-8"),
        "{\"type\":\"PUT\",\"value\":1}").status()).isEqualTo(204);
  }

  @Test
  void aBodyOverTheLimitIs413AndTheConnectionGoesOn() {
    String big = "{\"type\":\"PUT\",\"value\":\"" + "x".repeat(MAX_BODY) + "\"}";
    Answer tooLarge = api.post("/keys/big", big);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.body()).isEqualTo("body: " + (MAX_BODY + 25) + " bytes (expected: at most " + MAX_BODY
        + " bytes)\n");
    assertThat(api.get("/keys/big").status()).isEqualTo(404);
  }

  @Test
  void statusAsTextAndJson() {
    Answer text = api.get("/admin/status");
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.contentType()).startsWith("text/plain");
    assertThat(text.body()).startsWith("ADDRESS").contains("3 servers: 3 up, 0 down").contains("Catch-up: read_repairs");

    Answer json = api.get("/admin/status", "application/json");
    assertThat(json.contentType()).isEqualTo("application/json");
    assertThat(json.body()).startsWith("{\"engine\":\"eventual\",\"servers\":[{\"address\":\"127.0.0.1:")
        .contains("\"servers_up\":3,\"servers_down\":0").contains("\"Catch-up\":{\"read_repairs\":")
        .endsWith("\"groups\":[]}");
    assertThat(api.get("/admin/status", "text/plain;q=0.5, application/json").contentType())
        .isEqualTo("application/json");
    assertThat(api.get("/admin/status", "*/*").contentType()).startsWith("text/plain");
  }

  @Test
  void servesTheRepositorysOpenApiFile() throws Exception {
    Answer doc = api.get("/openapi.yml");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.contentType()).isEqualTo("application/yaml");
    assertThat(doc.body()).isEqualTo(Files.readString(OpenApiCheck.SPEC));
  }

  @Test
  void whatTheApiDoesNotListIs404Or405() {
    Answer unknown = api.sendOutside("GET", "/nothing/here", Map.of(), null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).startsWith("no such resource: /nothing/here (expected: /keys/{key}");
    Answer put = api.sendOutside("PUT", "/keys/x", Map.of("Content-Type", "application/json"), "{}");
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.headers()).containsEntry("allow", "GET, POST, DELETE");
    assertThat(api.sendOutside("POST", "/admin/status", Map.of(), "").headers()).containsEntry("allow", "GET");
    assertThat(api.sendOutside("DELETE", "/keys/x/y", Map.of(), null).status()).isEqualTo(405);
  }
}
