package kv.broker.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import kv.broker.command.StatusTable;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.record.AppendKeys;
import kv.record.Limits;
import kv.record.Path;
import kv.record.RecordParser;

/**
 * The broker's HTTP API (api/openapi.yml is its contract): routes each {@link HttpCall} to the
 * {@link Engine} and returns the {@link HttpReply} as a future; never writes (the connection writes
 * answers in request order). Thread-safe.
 */
public final class HttpApi {
  /** Where the build puts the repository's api/openapi.yml (kvBroker's pom copies it). */
  static final String OPENAPI_RESOURCE = "/kv/broker/http/openapi.yml";
  private static final String ROUTES = "/keys/{key}, /keys/{key}/{path...}, /admin/status or /openapi.yml";

  private final Engine engine;
  private final String engineName;
  private final Duration answerTimeout;
  private final Clock clock;
  private final int maxBodyBytes;
  private final WriteBody bodies;
  private final OutcomeReplies replies;
  private final byte[] openApi;
  private final MountedRoutes mounted;
  private final BearerAuth auth;

  /**
   * @param engineName the consistency mode the status names ({@code eventual} or {@code strong})
   * @param answerTimeout how long an answer may take before the connection answers 503 in its place
   * @param maxBodyBytes the largest request body (a larger one is 413)
   */
  public HttpApi(Engine engine, String engineName, Duration answerTimeout, Clock clock, int maxBodyBytes) {
    this(engine, engineName, answerTimeout, clock, maxBodyBytes, null);
  }

  /** The API with {@code mounted} served beside it (asked first; null for none). */
  public HttpApi(Engine engine, String engineName, Duration answerTimeout, Clock clock, int maxBodyBytes,
      MountedRoutes mounted) {
    this(engine, engineName, answerTimeout, clock, maxBodyBytes, mounted, null);
  }

  /** As above, every request asked for the password by {@code auth} (null: no password). */
  public HttpApi(Engine engine, String engineName, Duration answerTimeout, Clock clock, int maxBodyBytes,
      MountedRoutes mounted, BearerAuth auth) {
    this.auth = auth;
    this.mounted = mounted;
    this.engine = engine;
    this.engineName = engineName;
    this.answerTimeout = answerTimeout;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    // The envelope {"type": ..., "value": V} adds one level to V's depth.
    this.bodies = new WriteBody(new RecordParser(new Limits(Limits.DEFAULT.maxDepth() + 1, Math.max(2, maxBodyBytes))));
    this.replies = new OutcomeReplies(new RecordParser(new Limits(Limits.MAX_DEPTH, Integer.MAX_VALUE)));
    this.openApi = openApiDocument();
  }

  /** The repository's api/openapi.yml as the build copied it into the jar. */
  static byte[] openApiDocument() {
    try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + OPENAPI_RESOURCE + " is missing from the jar (the build copies"
            + " api/openapi.yml there)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + OPENAPI_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** The port's password check, or null when it has none. */
  BearerAuth auth() {
    return auth;
  }

  int maxBodyBytes() {
    return maxBodyBytes;
  }

  Duration answerTimeout() {
    return answerTimeout;
  }

  /** The answer to {@code call}; completes on an I/O thread, never exceptionally. */
  CompletableFuture<HttpReply> handle(HttpCall call) {
    try {
      List<String> segments = UriPath.segments(call.target());
      CompletableFuture<MountedRoutes.Answer> answer = mounted == null ? null
          : mounted.handle(call.method(), segments, call.accept());
      if (answer != null) {
        return answer.thenApply(a -> new HttpReply(a.status(), a.contentType(), a.body(), a.headers()));
      }
      return route(call, segments);
    } catch (HttpError e) {
      return done(e.reply());
    } catch (RuntimeException e) {
      return done(OutcomeReplies.error(e));
    }
  }

  private CompletableFuture<HttpReply> route(HttpCall call, List<String> segments) throws HttpError {
    String first = segments.isEmpty() ? "" : segments.get(0);
    if (first.equals("keys") && segments.size() >= 2) {
      String key = key(segments.get(1), call);
      if (segments.size() == 2) {
        return switch (call.method()) {
          case "GET" -> reply(engine.get(key), o -> replies.read(o, Outcome.displayKey(key)));
          case "POST" -> write(key, call);
          case "DELETE" -> reply(engine.delete(key), o -> replies.delete(o, Outcome.displayKey(key)));
          default -> throw notAllowed(call, "GET, POST, DELETE");
        };
      }
      Path path = new Path(key, segments.subList(2, segments.size()));
      for (int i = 2; i < segments.size(); i++) {
        if (segments.get(i).isEmpty()) {
          throw new HttpError(400, "path segment " + (i + 1) + ": empty (expected: /keys/{key}/{segment}/..., each"
              + " segment a member name or a list index)");
        }
      }
      if (!call.method().equals("GET")) {
        throw notAllowed(call, "GET");
      }
      return reply(engine.query(path), o -> replies.read(o, path.toString()));
    }
    if (first.equals("admin") && segments.size() == 2 && segments.get(1).equals("status")) {
      if (!call.method().equals("GET")) {
        throw notAllowed(call, "GET");
      }
      return done(status(call.accept()));
    }
    if (first.equals("openapi.yml") && segments.size() == 1) {
      if (!call.method().equals("GET")) {
        throw notAllowed(call, "GET");
      }
      return done(new HttpReply(200, HttpReply.YAML, openApi, Map.of()));
    }
    throw new HttpError(404, "no such resource: " + UriPath.shown(call.target()) + " (expected: " + ROUTES
        + (mounted == null ? "" : ", " + mounted.describe()) + ")");
  }

  private CompletableFuture<HttpReply> write(String key, HttpCall call) throws HttpError {
    WriteBody.checkContentType(call.contentType());
    WriteBody.Write write = bodies.parse(call.body());
    CompletableFuture<Outcome> outcome = write.type() == WriteBody.Type.PUT
        ? engine.putValue(key, write.value())
        : engine.append(new Path(key, List.of()), write.value());
    return reply(outcome, o -> replies.write(o, engine.replicasOf(key)));
  }

  private HttpReply status(String accept) {
    if (Accept.prefersJson(accept)) {
      return HttpReply.json(StatusDocument.json(engineName, engine.status()));
    }
    return HttpReply.text(200, StatusTable.format(engine.status(), clock.instant()));
  }

  /** The answer in place of one that did not come within {@link #answerTimeout}. */
  HttpReply noAnswer(HttpCall call) {
    String text = "no answer within " + answerTimeout.toMillis() + " ms";
    if (call.writes()) {
      text += ": the outcome is unknown, the write may or may not have been applied (retrying a PUT or DELETE is"
          + " safe; retrying an APPEND may append twice: GET the key to see)";
    }
    return HttpReply.text(503, text);
  }

  private static String key(String key, HttpCall call) throws HttpError {
    if (key.isEmpty()) {
      throw new HttpError(404, "no such resource: " + UriPath.shown(call.target())
          + " (expected: /keys/{key} with a key of at least one character)");
    }
    int nul = key.indexOf(AppendKeys.SEPARATOR);
    if (nul >= 0) {
      throw new HttpError(400, "key: U+0000 at character " + (nul + 1)
          + " (expected: a key without the NUL character, which KV reserves for the names of appends)");
    }
    return key;
  }

  private static HttpError notAllowed(HttpCall call, String allowed) {
    return HttpError.notAllowed(call.method(), call.target(), allowed);
  }

  private static CompletableFuture<HttpReply> reply(CompletableFuture<Outcome> outcome,
      Function<Outcome, HttpReply> answer) {
    return outcome.handle((o, error) -> error == null ? answer.apply(o) : OutcomeReplies.error(error));
  }

  private static CompletableFuture<HttpReply> done(HttpReply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  /** Content negotiation for the status: JSON when the client asks for it (and prefers it to plain text). */
  static final class Accept {
    private Accept() {}

    static boolean prefersJson(String header) {
      if (header == null) {
        return false;
      }
      double json = -1;
      double text = -1;
      for (String range : header.split(",")) {
        String[] parts = range.split(";", -1); // -1: ";" is two empty parts, not none (HttpFuzzTest)
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        double q = 1;
        for (int i = 1; i < parts.length; i++) {
          String p = parts[i].strip();
          if (p.startsWith("q=")) {
            try {
              q = Double.parseDouble(p.substring(2));
            } catch (NumberFormatException e) {
              q = 0;
            }
          }
        }
        if (type.equals("application/json")) {
          json = Math.max(json, q);
        } else if (type.equals("text/plain") || type.equals("text/*")) {
          text = Math.max(text, q);
        }
      }
      return json > 0 && json >= text;
    }
  }
}
