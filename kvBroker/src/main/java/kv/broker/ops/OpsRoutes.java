package kv.broker.ops;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kv.broker.command.LocationJson;
import kv.broker.command.StatusJson;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.record.IntValue;
import kv.record.JsonPrinter;
import kv.record.ListValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * The operator's routes of the broker's HTTP port, free of any HTTP library so any server can
 * mount them ({@link #handle}): {@code GET /} the live status page (one self-contained HTML file
 * from the jar), {@code GET /admin/live} the JSON it polls (servers, groups, requests per second
 * by operation over the last five minutes), {@code GET /admin/locate/{key}} LOCATE as JSON, and
 * {@code GET /metrics} the broker's Prometheus metrics. Thread-safe.
 */
public final class OpsRoutes {
  /** Where the build puts the page (src/main/resources). */
  static final String PAGE = "/kv/broker/ops/status.html";
  private static final String LOCATE = "/admin/locate/";

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

  /**
   * The answer to {@code method target}, or null when the target is none of these routes (the
   * host server answers it). {@code target} is the request target as received (path and query,
   * percent-encoded); {@code accept} the Accept header or null. Completes on an I/O thread,
   * never exceptionally.
   */
  public CompletableFuture<OpsReply> handle(String method, String target, String accept) {
    String path = target.indexOf('?') >= 0 ? target.substring(0, target.indexOf('?')) : target;
    boolean mine = path.equals("/") || path.equals("/index.html") || path.equals("/metrics")
        || path.equals("/admin/live") || path.startsWith(LOCATE);
    if (!mine) {
      return null;
    }
    if (!method.equals("GET")) {
      return done(OpsReply.text(405, "method " + method + " not allowed on " + path + " (expected: GET)"));
    }
    try {
      if (path.equals("/") || path.equals("/index.html")) {
        return done(new OpsReply(200, OpsReply.HTML, page));
      } else if (path.equals("/metrics")) {
        return done(metrics(accept));
      } else if (path.equals("/admin/live")) {
        return done(OpsReply.json(JsonPrinter.print(live())));
      }
      String key = decode(path.substring(LOCATE.length()));
      if (key == null) {
        return done(OpsReply.text(400, "key: '" + path.substring(LOCATE.length()) + "' is not percent-encoded UTF-8"
            + " (expected: /admin/locate/{key} with the key percent-encoded)"));
      }
      if (key.isEmpty()) {
        return done(OpsReply.text(404, "no key in " + path + " (expected: /admin/locate/{key})"));
      }
      return engine.locate(key).handle((outcome, error) -> {
        if (error == null && outcome instanceof Outcome.Located l) {
          return OpsReply.json(JsonPrinter.print(LocationJson.of(l.location())));
        }
        String why = error != null ? Outcome.Failed.of(error).message()
            : outcome instanceof Outcome.Failed f ? f.message() : String.valueOf(outcome);
        return OpsReply.text(502, "LOCATE " + key + ": " + why);
      });
    } catch (RuntimeException e) {
      return done(OpsReply.text(500, "internal error: " + e));
    }
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
    return SetValue.builder()
        .put("engine", new StringValue(mode))
        .put("time", new StringValue(clock.instant().toString()))
        .put("status", StatusJson.of(engine.status(), clock.instant()))
        .put("rates", SetValue.builder()
            .put("interval_seconds", new IntValue(1))
            .put("end", new StringValue(java.time.Instant.ofEpochMilli(rates.endMillis()).toString()))
            .put("series", series.build())
            .build())
        .build();
  }

  private OpsReply metrics(String accept) {
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
    return new OpsReply(200, writer.getContentType(), out.toByteArray());
  }

  /** Percent-decodes a path segment as UTF-8; null when it is malformed. */
  static String decode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c > 0x7f) {
        return null;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
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

  private static CompletableFuture<OpsReply> done(OpsReply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
