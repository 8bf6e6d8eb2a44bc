package kv.broker.ops;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kv.broker.command.LocationJson;
import kv.broker.command.StatusJson;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.broker.http.MountedRoutes;
import kv.record.IntValue;
import kv.record.JsonPrinter;
import kv.record.ListValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * The operator's routes on the broker's HTTP port ({@link MountedRoutes}): {@code GET /} the live
 * status page (one self-contained HTML file from the jar), {@code GET /admin/live} the JSON it
 * polls (servers, groups, requests per second by operation over the last five minutes),
 * {@code GET /admin/locate/{key}} LOCATE as JSON, and {@code GET /metrics} the broker's
 * Prometheus metrics. Thread-safe.
 */
public final class OpsRoutes implements MountedRoutes {
  /** Where the build puts the page (src/main/resources). */
  static final String PAGE = "/kv/broker/ops/status.html";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final String HTML = "text/html; charset=utf-8";
  /* Everything here changes from one second to the next (the page too: a new broker may serve a new page). */
  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  private final Engine engine;
  private final BrokerMetrics metrics;
  private final String mode;
  private final Clock clock;
  private final byte[] page;
  private final ExpositionFormats formats = ExpositionFormats.init();

  /** @param mode the engine's consistency mode the page names ({@code eventual} or {@code strong}) */
  public OpsRoutes(Engine engine, BrokerMetrics metrics, String mode, Clock clock) {
    this.engine = engine;
    this.metrics = metrics;
    this.mode = mode;
    this.clock = clock;
    this.page = resource(PAGE);
  }

  @Override
  public String describe() {
    return "/ (the status page), /admin/live, /admin/locate/{key} or /metrics";
  }

  @Override
  public CompletableFuture<Answer> handle(String method, List<String> segments, String accept) {
    String first = segments.isEmpty() ? "" : segments.get(0);
    boolean admin = first.equals("admin") && segments.size() >= 2;
    boolean mine = segments.isEmpty()
        || segments.size() == 1 && first.equals("metrics")
        || admin && segments.size() == 2 && segments.get(1).equals("live")
        || admin && segments.get(1).equals("locate");
    if (!mine) {
      return null;
    }
    String path = "/" + String.join("/", segments);
    if (!method.equals("GET")) {
      Answer refused = text(405, "method " + method + " not allowed on " + path + " (expected: GET)");
      return done(new Answer(405, TEXT, refused.body(), Map.of("Allow", "GET")));
    }
    try {
      if (segments.isEmpty()) {
        return done(new Answer(200, HTML, page, NO_STORE));
      } else if (first.equals("metrics")) {
        return done(metrics(accept));
      } else if (segments.get(1).equals("live")) {
        return done(json(JsonPrinter.print(live())));
      }
      return locate(segments);
    } catch (RuntimeException e) {
      return done(text(500, "internal error: " + e));
    }
  }

  private CompletableFuture<Answer> locate(List<String> segments) {
    if (segments.size() != 3 || segments.get(2).isEmpty()) {
      return done(text(404, "no such resource: /" + String.join("/", segments) + " (expected: /admin/locate/{key},"
          + " one key of at least one character, a / in it percent-encoded as %2F)"));
    }
    String key = segments.get(2);
    return engine.locate(key).handle((outcome, error) -> {
      if (error == null && outcome instanceof Outcome.Located l) {
        return json(JsonPrinter.print(LocationJson.of(l.location())));
      }
      String why = error != null ? Outcome.Failed.of(error).message()
          : outcome instanceof Outcome.Failed f ? f.message() : String.valueOf(outcome);
      return text(502, "LOCATE " + Outcome.displayKey(key) + ": " + why);
    });
  }

  /** What the page polls: the mode, the time, the status and the request rates. */
  SetValue live() {
    RequestRates.Snapshot rates = metrics.rates().snapshot();
    SetValue.Builder series = SetValue.builder();
    for (Map.Entry<String, List<Long>> e : rates.series().entrySet()) {
      List<Value> values = new ArrayList<>(e.getValue().size());
      e.getValue().forEach(v -> values.add(new IntValue(v)));
      series.put(e.getKey(), new ListValue(values));
    }
    Instant now = clock.instant();
    return SetValue.builder()
        .put("engine", new StringValue(mode))
        .put("time", new StringValue(now.toString()))
        .put("status", StatusJson.of(engine.status(), now))
        .put("rates", SetValue.builder()
            .put("interval_seconds", new IntValue(1))
            .put("end", new StringValue(Instant.ofEpochMilli(rates.endMillis()).toString()))
            .put("series", series.build())
            .build())
        .build();
  }

  private Answer metrics(String accept) {
    ExpositionFormatWriter writer = formats.findWriter(accept);
    if (!writer.isAvailable()) {
      writer = PrometheusTextFormatWriter.create(); // the protobuf format is not in the jar
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, metrics.registry().scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Answer(200, writer.getContentType(), out.toByteArray(), NO_STORE);
  }

  private static Answer text(int status, String text) {
    return new Answer(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private static Answer json(String json) {
    return new Answer(200, JSON, json.getBytes(StandardCharsets.UTF_8), NO_STORE);
  }

  private static byte[] resource(String name) {
    try (InputStream in = OpsRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompletableFuture<Answer> done(Answer answer) {
    return CompletableFuture.completedFuture(answer);
  }
}
