package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import kv.broker.eventual.RealCluster;
import kv.broker.http.OpenApiCheck.Answer;
import kv.broker.ops.BrokerMetrics;
import kv.broker.ops.FrontEnd;
import kv.broker.ops.OpsRoutes;
import kv.broker.testing.Await;
import kv.testkit.PromScrape;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's routes (kv.broker.ops) mounted on the HTTP front end, as BrokerRun mounts them,
 * in front of three real kvServers (k = 2): {@code /metrics} read with the text format's grammar
 * (and {@code promtool check metrics} where installed), {@code /admin/live}, {@code /admin/locate},
 * the page; every exchange is checked against api/openapi.yml.
 */
class OperatorRoutesTest {
  private RealCluster cluster;
  private BrokerMetrics metrics;
  private HttpFrontEnd http;
  private OpenApiCheck api;

  private void start() throws Exception {
    cluster = new RealCluster(3, 2);
    metrics = new BrokerMetrics(cluster.service, "eventual", "test");
    OpsRoutes routes = new OpsRoutes(metrics.engineFor(FrontEnd.HTTP), metrics, "eventual", Clock.systemUTC());
    HttpApi httpApi = new HttpApi(metrics.engineFor(FrontEnd.HTTP), "eventual", Duration.ofSeconds(20),
        Clock.systemUTC(), 64 * 1024, routes);
    http = HttpFrontEnd.start("127.0.0.1", 0, httpApi, cluster.io);
    metrics.clients(FrontEnd.HTTP, http::connectedClients);
    api = new OpenApiCheck(http.port());
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private PromScrape scrape() throws Exception {
    Answer answer = api.get("/metrics");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain; version=0.0.4");
    PromScrape scrape = PromScrape.parse(answer.body());
    if (PromScrape.promtoolInstalled()) {
      assertThat(scrape.promtool()).as("promtool check metrics").isEqualTo("0");
    }
    return scrape;
  }

  @Test
  void metricsCountTheApisRequestsByCommandWithLatencyHistograms() throws Exception {
    start();
    PromScrape before = scrape();
    assertThat(before.types()).containsEntry("kv_broker_requests_total", "counter")
        .containsEntry("kv_broker_request_duration_seconds", "histogram")
        .containsEntry("kv_broker_errors_total", "counter")
        .containsEntry("kv_broker_hints", "gauge")
        .containsEntry("kv_broker_read_repairs_total", "counter")
        .containsEntry("kv_broker_hints_replayed_total", "counter");
    assertThat(before.value("kv_broker_requests_total", "command", "GET", "frontend", "http")).isZero();
    assertThat(before.value("kv_broker_info", "mode", "eventual", "version", "test")).isEqualTo(1);
    for (ServerAddress a : cluster.addresses) {
      assertThat(before.value("kv_broker_server_up", "server", a.toString())).as(a.toString()).isEqualTo(1);
      assertThat(before.value("kv_broker_hints", "server", a.toString())).isZero();
    }
    assertThat(before.value("kv_broker_servers", "state", "up")).isEqualTo(3);

    assertThat(api.post("/keys/pets", "{\"type\":\"PUT\",\"value\":[\"cat\"]}").status()).isEqualTo(204);
    assertThat(api.post("/keys/pets", "{\"type\":\"APPEND\",\"value\":\"dog\"}").status()).isEqualTo(204);
    assertThat(api.get("/keys/pets").status()).isEqualTo(200);
    assertThat(api.get("/keys/pets/0").status()).isEqualTo(200);
    assertThat(api.get("/keys/nobody").status()).isEqualTo(404);

    PromScrape after = scrape();
    assertThat(after.value("kv_broker_requests_total", "command", "GET", "frontend", "http")).isEqualTo(2);
    assertThat(after.value("kv_broker_requests_total", "command", "QUERY", "frontend", "http")).isEqualTo(1);
    assertThat(after.value("kv_broker_requests_total", "command", "SETVALUE", "frontend", "http")).isEqualTo(1);
    assertThat(after.value("kv_broker_requests_total", "command", "APPEND", "frontend", "http")).isEqualTo(1);
    assertThat(after.value("kv_broker_requests_total", "command", "GET", "frontend", "resp")).isZero();
    assertThat(after.value("kv_broker_request_duration_seconds_count", "command", "GET", "frontend", "http"))
        .isEqualTo(2);
    assertThat(after.value("kv_broker_request_duration_seconds_bucket", "command", "GET", "frontend", "http",
        "le", "+Inf")).isEqualTo(2);
    assertThat(after.value("kv_broker_request_duration_seconds_sum", "command", "GET", "frontend", "http"))
        .isPositive();
    assertThat(after.value("kv_broker_errors_total", "kind", "CLUSTERDOWN")).as("a 404 is an answer").isZero();
    assertThat(after.value("kv_broker_connected_clients", "frontend", "http")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void failuresHintsAndStateChangesShowInTheMetricsAndOnTheLiveDocument() throws Exception {
    start();
    metrics.sample(System.currentTimeMillis()); // the first look: states as they are, nothing changed yet
    String key = "hinted";
    int first = cluster.addresses.indexOf(cluster.replicas(key).get(0));
    int second = cluster.addresses.indexOf(cluster.replicas(key).get(1));
    String down = cluster.address(first).toString();

    cluster.stop(first);
    metrics.sample(System.currentTimeMillis());
    assertThat(api.post("/keys/" + key, "{\"type\":\"PUT\",\"value\":1}").status()).isEqualTo(204);
    PromScrape oneDown = scrape();
    assertThat(oneDown.value("kv_broker_server_up", "server", down)).isZero();
    assertThat(oneDown.value("kv_broker_servers", "state", "down")).isEqualTo(1);
    assertThat(oneDown.value("kv_broker_hints", "server", down)).isEqualTo(1);
    assertThat(oneDown.value("kv_broker_server_state_changes_total", "server", down, "to", "down")).isEqualTo(1);

    JsonObject live = JsonParser.parseString(api.get("/admin/live").body()).getAsJsonObject();
    JsonArray servers = live.getAsJsonObject("status").getAsJsonArray("servers");
    assertThat(servers).hasSize(3);
    for (var s : servers) {
      JsonObject server = s.getAsJsonObject();
      String state = server.get("state").getAsString();
      assertThat(state).as(server.toString()).isEqualTo(server.get("address").getAsString().equals(down) ? "DOWN" : "UP");
      if (state.equals("DOWN")) {
        assertThat(server.get("hints").getAsLong()).isEqualTo(1);
      }
    }

    // The hint lives on the replica that took the write: it is replayed when the down one returns.
    cluster.restart(first);
    Await.until("the hint replayed to " + down, Duration.ofSeconds(30),
        () -> scrapeUnchecked().value("kv_broker_hints_replayed_total") >= 1);
    cluster.awaitCaughtUp(first);
    metrics.sample(System.currentTimeMillis());
    PromScrape healed = scrape();
    assertThat(healed.value("kv_broker_server_up", "server", down)).isEqualTo(1);
    assertThat(healed.value("kv_broker_hints", "server", down)).isZero();
    assertThat(healed.value("kv_broker_server_state_changes_total", "server", down, "to", "up")).isEqualTo(1);

    cluster.stop(first);
    cluster.stop(second);
    Answer unavailable = api.get("/keys/" + key);
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(scrape().value("kv_broker_errors_total", "kind", "CLUSTERDOWN")).isEqualTo(1);
  }

  private PromScrape scrapeUnchecked() {
    try {
      return scrape();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void liveDocumentCountsRequestsPerSecondByCommand() throws Exception {
    start();
    for (int i = 0; i < 5; i++) {
      api.get("/keys/nobody");
    }
    metrics.sample(System.currentTimeMillis());
    JsonObject live = JsonParser.parseString(api.get("/admin/live").body()).getAsJsonObject();
    assertThat(live.get("engine").getAsString()).isEqualTo("eventual");
    JsonArray gets = live.getAsJsonObject("rates").getAsJsonObject("series").getAsJsonArray("GET");
    assertThat(gets.get(gets.size() - 1).getAsLong()).isEqualTo(5);
    assertThat(live.getAsJsonObject("status").get("servers_up").getAsLong()).isEqualTo(3);
  }

  @Test
  void locateAnswersJsonWithTheKeysReplicas() throws Exception {
    start();
    api.post("/keys/a%2Fb", "{\"type\":\"PUT\",\"value\":{\"x\":1}}");
    Answer located = api.get("/admin/locate/a%2Fb");
    assertThat(located.status()).isEqualTo(200);
    assertThat(located.contentType()).isEqualTo("application/json");
    JsonObject location = JsonParser.parseString(located.body()).getAsJsonObject();
    assertThat(location.get("key").getAsString()).isEqualTo("a/b");
    JsonArray servers = location.getAsJsonArray("servers");
    assertThat(servers).hasSize(2);
    for (var s : servers) {
      assertThat(s.getAsJsonObject().get("state").getAsString()).isEqualTo("UP");
      assertThat(s.getAsJsonObject().get("holds").getAsString()).isEqualTo("value");
    }
    assertThat(cluster.replicas("a/b").stream().map(Object::toString))
        .containsExactlyInAnyOrder(servers.get(0).getAsJsonObject().get("address").getAsString(),
            servers.get(1).getAsJsonObject().get("address").getAsString());

    Answer none = api.get("/admin/locate/never");
    assertThat(JsonParser.parseString(none.body()).getAsJsonObject().getAsJsonArray("servers").get(0)
        .getAsJsonObject().get("holds").getAsString()).isEqualTo("nothing");
    Answer noKey = api.sendOutside("GET", "/admin/locate/", Map.of(), null);
    assertThat(noKey.status()).isEqualTo(404);
    assertThat(noKey.body()).contains("expected: /admin/locate/{key}");
    Answer post = api.sendOutside("POST", "/metrics", Map.of(), "");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers()).containsEntry("allow", "GET");
    Answer unknown = api.sendOutside("GET", "/nothing/here", Map.of(), null);
    assertThat(unknown.body()).contains("/admin/locate/{key}").contains("/metrics");
  }

  @Test
  void thePageIsServedWhole() throws Exception {
    start();
    Answer page = api.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(page.body()).contains("<title>KV cluster</title>").contains("admin/live")
        .as("nothing from elsewhere").doesNotContain("src=\"http").doesNotContain("href=\"http")
        .doesNotContain("//cdn");
  }
}
