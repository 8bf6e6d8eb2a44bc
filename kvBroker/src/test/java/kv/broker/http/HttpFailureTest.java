package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.broker.config.BrokerConfig;
import kv.broker.eventual.EventualEngine;
import kv.broker.http.OpenApiCheck.Answer;
import kv.broker.testing.Await;
import kv.broker.testing.KvServerProcess;
import kv.broker.transport.netty.IoThreads;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's acceptance in eventual mode with real parts: three kvServer processes, k = 2, the
 * broker's engine and HTTP port, requests as the reference service's users send them (curl and the
 * JDK's client); then servers SIGKILLed, and the answers are what the engine promises. Every answer
 * is checked against api/openapi.yml.
 */
class HttpFailureTest {
  @TempDir
  Path dir;
  private final List<KvServerProcess> servers = new ArrayList<>();
  private final List<ServerAddress> addresses = new ArrayList<>();
  private final IoThreads io = IoThreads.start();
  private EventualEngine engine;
  private HttpFrontEnd http;
  private OpenApiCheck api;
  private String base;

  @BeforeEach
  void start() throws Exception {
    for (int i = 0; i < 3; i++) {
      KvServerProcess server = KvServerProcess.start(dir.resolve("kvServer" + i + ".log"));
      servers.add(server);
      addresses.add(new ServerAddress("127.0.0.1", server.port()));
    }
    engine = EventualEngine.start(BrokerConfig.of(addresses, "test", 2).with(c -> {
      c.timeout = Duration.ofSeconds(3);
      c.heartbeatInterval = Duration.ofMillis(100);
    }), io);
    http = HttpFrontEnd.start("127.0.0.1", 0,
        new HttpApi(engine, "eventual", Duration.ofSeconds(20), Clock.systemUTC(), 1 << 20), io);
    api = new OpenApiCheck(http.port());
    base = "http://127.0.0.1:" + http.port();
  }

  @AfterEach
  void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    if (engine != null) {
      engine.close();
    }
    io.close();
    for (KvServerProcess server : servers) {
      server.close();
    }
  }

  private Answer curl(String method, String path, String body, String... headers) throws Exception {
    Answer answer = Curl.run(method, base + path, body, headers);
    OpenApiCheck.validate(method, path, body == null ? Map.of() : Map.of("Content-Type", "application/json"), body,
        answer);
    return answer;
  }

  private int index(ServerAddress address) {
    return addresses.indexOf(address);
  }

  private void kill(ServerAddress address) throws Exception {
    servers.get(index(address)).kill();
    Await.until(address + " marked DOWN", Duration.ofSeconds(20),
        () -> !engine.status().servers().get(index(address)).up());
  }

  @Test
  void theReferenceClientsFlowThenOneServerKilledThenBoth() throws Exception {
    String json = "Content-Type: application/json";
    assertThat(curl("POST", "/keys/pets", "{\"type\": \"PUT\", \"value\": [\"cat\", \"dog\"]}", json).status())
        .isEqualTo(204);
    assertThat(curl("POST", "/keys/pets", "{\"type\": \"APPEND\", \"value\": \"mouse\"}", json).status())
        .isEqualTo(204);
    Answer list = curl("GET", "/keys/pets", null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).isEqualTo("[\"cat\",\"dog\",\"mouse\"]");
    assertThat(curl("GET", "/keys/absent", null).status()).isEqualTo(404);

    List<ServerAddress> replicas = new Placement(addresses, 2).replicas("pets");
    kill(replicas.get(0));
    String dead = replicas.get(0).toString();

    assertThat(api.get("/keys/pets").body()).as("reads are still served").isEqualTo("[\"cat\",\"dog\",\"mouse\"]");
    Answer appended = api.post("/keys/pets", "{\"type\":\"APPEND\",\"value\":\"fish\"}");
    assertThat(appended.status()).isEqualTo(204);
    assertThat(appended.headers()).as("one of two replicas took it").containsEntry("kv-acknowledged", "1/2");
    assertThat(api.get("/keys/pets").body()).isEqualTo("[\"cat\",\"dog\",\"mouse\",\"fish\"]");
    Answer refused = api.delete("/keys/pets");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).isEqualTo("cannot delete 'pets' reliably: replica server " + dead
        + " is down; nothing was deleted\n");

    Answer text = api.get("/admin/status");
    assertThat(text.body()).contains("3 servers: 2 up, 1 down").containsPattern(dead.replace(".", "\\.")
        + " +DOWN +\\S+ +\\S+ +\\S+ +1 ");
    Answer status = api.get("/admin/status", "application/json");
    assertThat(status.body()).contains("{\"address\":\"" + dead + "\",\"state\":\"DOWN\"")
        .contains("\"servers_up\":2,\"servers_down\":1");

    kill(replicas.get(1));
    String both = replicas.get(0) + ", " + replicas.get(1);
    Answer unavailable = api.get("/keys/pets");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.body()).isEqualTo("2 or more servers are down (" + both
        + "): cannot guarantee a correct answer for 'pets'\n");
    assertThat(api.get("/keys/pets/0").status()).isEqualTo(503);
    Answer put = api.post("/keys/pets", "{\"type\":\"PUT\",\"value\":[]}");
    assertThat(put.status()).isEqualTo(503);
    assertThat(put.body()).isEqualTo("cannot write 'pets': 0 of 2 replicas acknowledged (all down or not answering);"
        + " replicas: " + both + "\n");
    Answer append = api.post("/keys/pets", "{\"type\":\"APPEND\",\"value\":1}");
    assertThat(append.status()).isEqualTo(503);
    assertThat(append.body()).startsWith("nothing was written: 2 or more servers are down (" + both + ")");
    assertThat(api.delete("/keys/pets").status()).isEqualTo(409);
  }
}
