package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends real HTTP requests (the JDK's HttpClient, HTTP/1.1) to a broker's HTTP port and checks
 * every request and its answer against the repository's api/openapi.yml with Atlassian's
 * validator; a test that sends something the API does not describe says so ({@link #sendOutside}),
 * and the validator must agree. Thread-safe.
 */
final class OpenApiCheck {
  /** The repository's file (tests run in the kvBroker module's directory). */
  static final Path SPEC = Path.of("..", "api", "openapi.yml").toAbsolutePath().normalize();
  private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
      .createForInlineApiSpecification(spec())
      .build();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final int port;

  /** One answer: status, headers (lower-case names, first value) and body. */
  record Answer(int status, Map<String, String> headers, String body) {
    String contentType() {
      return headers.get("content-type");
    }
  }

  OpenApiCheck(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.port = port;
  }

  static String spec() {
    try {
      return Files.readString(SPEC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static OpenApiInteractionValidator validator() {
    return VALIDATOR;
  }

  Answer get(String path) {
    return send("GET", path, Map.of(), null);
  }

  Answer get(String path, String accept) {
    return send("GET", path, Map.of("Accept", accept), null);
  }

  Answer delete(String path) {
    return send("DELETE", path, Map.of(), null);
  }

  /** POST with {@code Content-Type: application/json}. */
  Answer post(String path, String json) {
    return send("POST", path, Map.of("Content-Type", "application/json"), json);
  }

  /** Sends a request the API describes; asserts the validator finds nothing wrong with it or its answer. */
  Answer send(String method, String path, Map<String, String> headers, String body) {
    Answer answer = exchange(method, path, headers, body);
    ValidationReport report = VALIDATOR.validate(request(method, path, headers, body), response(answer));
    assertThat(report.getMessages()).as("%s %s -> %s %s: differs from api/openapi.yml", method, path,
        answer.status(), answer.body()).isEmpty();
    return answer;
  }

  /**
   * Sends a request the API refuses (a malformed body, a wrong Content-Type, an empty key), asserts
   * that the file refuses it too, and checks the answer against the file.
   */
  Answer sendInvalid(String method, String path, Map<String, String> headers, String body) {
    Answer answer = exchange(method, path, headers, body);
    ValidationReport request = VALIDATOR.validateRequest(request(method, path, headers, body));
    assertThat(request.hasErrors()).as("api/openapi.yml refuses %s %s %s too", method, path, body).isTrue();
    validateResponse(method, path, answer);
    return answer;
  }

  /**
   * Sends bytes the JDK's client will not send (a malformed percent-escape, an empty segment) over
   * a socket, and checks the answer against the file's description of {@code method path}.
   */
  Answer sendRaw(String method, String target, String body, String... headers) {
    try (RawHttp raw = new RawHttp(port)) {
      raw.write(RawHttp.request(method, target, body, headers));
      Answer answer = raw.read();
      validateResponse(method, target, answer);
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + target + ": " + e.getMessage(), e);
    }
  }

  /** Checks an answer against the file's description of {@code method path} (the request aside). */
  static void validateResponse(String method, String path, Answer answer) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    ValidationReport report = VALIDATOR.validateResponse(bare, Request.Method.valueOf(method), response(answer));
    assertThat(report.getMessages()).as("%s %s -> %s %s: answer differs from api/openapi.yml", method, path,
        answer.status(), answer.body()).isEmpty();
  }

  /**
   * Sends a request the API does not describe (a path or method it does not list) and asserts that
   * the validator says so: the file describes exactly what is served.
   */
  Answer sendOutside(String method, String path, Map<String, String> headers, String body) {
    Answer answer = exchange(method, path, headers, body);
    ValidationReport report = VALIDATOR.validateRequest(request(method, path, headers, body));
    List<String> keys = new ArrayList<>();
    report.getMessages().forEach(m -> keys.add(m.getKey()));
    assertThat(keys).as("%s %s is outside the API", method, path)
        .containsAnyOf("validation.request.path.missing", "validation.request.operation.notAllowed");
    return answer;
  }

  /** Checks an answer got by other means (a raw socket, curl) to a request the API describes. */
  static void validate(String method, String path, Map<String, String> requestHeaders, String requestBody,
      Answer answer) {
    ValidationReport report = VALIDATOR.validate(request(method, path, requestHeaders, requestBody), response(answer));
    assertThat(report.getMessages()).as("%s %s -> %s %s: differs from api/openapi.yml", method, path,
        answer.status(), answer.body()).isEmpty();
  }

  private Answer exchange(String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(builder::header);
    try {
      HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      Map<String, String> got = new LinkedHashMap<>();
      response.headers().map().forEach((name, values) -> got.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
      return new Answer(response.statusCode(), got, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Request request(String method, String path, Map<String, String> headers, String body) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    SimpleRequest.Builder builder = new SimpleRequest.Builder(method, bare);
    headers.forEach((name, value) -> builder.withHeader(name, value));
    if (body != null) {
      builder.withBody(body);
    }
    return builder.build();
  }

  private static com.atlassian.oai.validator.model.Response response(Answer answer) {
    SimpleResponse.Builder builder = SimpleResponse.Builder.status(answer.status());
    answer.headers().forEach((name, value) -> builder.withHeader(name, value));
    if (!answer.body().isEmpty()) {
      builder.withBody(answer.body());
    }
    return builder.build();
  }
}
