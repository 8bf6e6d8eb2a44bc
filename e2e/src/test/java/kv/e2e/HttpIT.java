package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.e2e.Launchers.Server;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API as a new user reaches it: bin/kvServer three times, bin/kvBroker --http, curl with
 * the reference service's requests, a server killed with SIGKILL. Each answer is checked against
 * api/openapi.yml, and the file the broker's jar serves is the repository's.
 */
class HttpIT {
  private static final Path SPEC = Launchers.ROOT.resolve("api").resolve("openapi.yml");
  @TempDir Path dir;
  private final List<Server> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : processes) {
      s.close();
    }
  }

  /** status, lower-case headers, body */
  record Answer(int status, Map<String, String> headers, String body) {}

  @Test
  void referenceClientsThroughTheLauncherAndAKilledServer() throws Exception {
    List<Server> servers = Launchers.startServers(dir, 3);
    processes.addAll(servers);
    Path serverFile = Launchers.serverFile(dir, servers);
    Server broker = Launchers.startHttpBroker(dir, serverFile, 2);
    processes.add(broker);
    String base = "http://127.0.0.1:" + broker.port();
    OpenApiInteractionValidator validator = OpenApiInteractionValidator
        .createForInlineApiSpecification(Files.readString(SPEC)).build();
    Curl curl = new Curl(base, validator);

    assertThat(curl.run("POST", "/keys/pets", "{\"type\": \"PUT\", \"value\": [\"cat\", \"dog\"]}").status()).isEqualTo(204);
    assertThat(curl.run("POST", "/keys/pets", "{\"type\": \"APPEND\", \"value\": \"mouse\"}").status()).isEqualTo(204);
    assertThat(curl.run("GET", "/keys/pets", null).body()).isEqualTo("[\"cat\",\"dog\",\"mouse\"]");
    assertThat(curl.run("POST", "/keys/pets/0", null).status()).as("POST on a path is not served").isEqualTo(405);
    curl.run("POST", "/keys/greeting", "{\"type\": \"PUT\", \"value\": \"hello\"}");
    Answer refused = curl.run("POST", "/keys/greeting", "{\"type\": \"APPEND\", \"value\": \"x\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("the value there is a string, not a list");
    assertThat(curl.run("GET", "/keys/nobody", null).status()).isEqualTo(404);
    Answer bad = curl.run("POST", "/keys/pets", "{\"type\": \"PUT\", \"value\": [1, }");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("line 1 column");
    assertThat(curl.run("GET", "/openapi.yml", null).body()).as("the jar serves the repository's file")
        .isEqualTo(Files.readString(SPEC));

    List<ServerAddress> addresses = new ArrayList<>();
    servers.forEach(s -> addresses.add(new ServerAddress("127.0.0.1", s.port())));
    ServerAddress victim = new Placement(addresses, 2).replicas("pets").get(0);
    servers.get(addresses.indexOf(victim)).kill();
    Awaitility.await("the broker marks " + victim + " DOWN").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> curl.run("GET", "/admin/status", null).body().contains("2 up, 1 down"));

    assertThat(curl.run("GET", "/keys/pets", null).body()).isEqualTo("[\"cat\",\"dog\",\"mouse\"]");
    Answer oneOfTwo = curl.run("POST", "/keys/pets", "{\"type\": \"APPEND\", \"value\": \"fish\"}");
    assertThat(oneOfTwo.status()).isEqualTo(204);
    assertThat(oneOfTwo.headers()).containsEntry("kv-acknowledged", "1/2");
    Answer delete = curl.run("DELETE", "/keys/pets", null);
    assertThat(delete.status()).isEqualTo(409);
    assertThat(delete.body()).contains(victim.toString()).contains("nothing was deleted");
    Answer json = curl.run("GET", "/admin/status", null, "Accept: application/json");
    assertThat(json.body()).contains("\"address\":\"" + victim + "\",\"state\":\"DOWN\"");
  }

  /** curl as a user runs it; each answer validated against the file. */
  private record Curl(String base, OpenApiInteractionValidator validator) {
    Answer run(String method, String path, String body, String... headers) throws Exception {
      List<String> command = new ArrayList<>(List.of("curl", "-s", "-i", "-X", method));
      if (body != null) {
        command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
      }
      for (String h : headers) {
        command.addAll(List.of("-H", h));
      }
      command.add(base + path);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("curl: %s", text).isZero();
      int end = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, end).split("\r\n");
      Map<String, String> got = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        got.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
      }
      Answer answer = new Answer(Integer.parseInt(head[0].split(" ")[1]), got, text.substring(end + 4));
      SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
      got.forEach((name, value) -> response.withHeader(name, value));
      if (!answer.body().isEmpty()) {
        response.withBody(answer.body());
      }
      ValidationReport report;
      if (answer.status() == 405) {
        report = validator.validateRequest(new SimpleRequest.Builder(method, path).build());
        assertThat(report.getMessages()).as("%s %s is outside the API", method, path).isNotEmpty();
      } else {
        report = validator.validateResponse(path, com.atlassian.oai.validator.model.Request.Method.valueOf(method),
            response.build());
        assertThat(report.getMessages()).as("%s %s -> %s: differs from api/openapi.yml", method, path, text).isEmpty();
      }
      return answer;
    }
  }
}
