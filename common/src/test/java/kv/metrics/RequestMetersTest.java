package kv.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request meters and error kinds as the text format shows them. */
class RequestMetersTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private String text() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eagerCommandsShowAtZeroOthersAtTheirFirstRequestUnknownOnesShareOneSeries() throws IOException {
    RequestMeters meters = new RequestMeters(registry, "kv", List.of("GET", "PUT", "PING"), List.of("GET"));
    assertThat(text()).contains("kv_requests_total{command=\"GET\"} 0.0")
        .doesNotContain("command=\"PUT\"", "command=\"PING\"");
    meters.meter("PUT").observe(2_000_000);
    meters.meter("FOO").observe(1_000);
    meters.meter("BAR").observe(1_000);
    String text = text();
    assertThat(text).contains("kv_requests_total{command=\"PUT\"} 1.0",
        "kv_request_duration_seconds_bucket{command=\"PUT\",le=\"0.001\"} 0",
        "kv_request_duration_seconds_bucket{command=\"PUT\",le=\"0.0025\"} 1",
        "kv_request_duration_seconds_sum{command=\"PUT\"} 0.002",
        "kv_requests_total{command=\"unknown\"} 2.0")
        .doesNotContain("FOO", "BAR", "command=\"PING\"");
  }

  @Test
  void aFurtherLabelSplitsTheSeries() throws IOException {
    RequestMeters meters = new RequestMeters(registry, "kv_broker", List.of("GET"), List.of(), "frontend",
        List.of("cli", "resp"));
    meters.meter("GET", 1).observe(1_000);
    meters.meter("GET", 1).observe(1_000);
    meters.meter("GET", 0).observe(1_000);
    assertThat(text()).contains("kv_broker_requests_total{command=\"GET\",frontend=\"resp\"} 2.0",
        "kv_broker_requests_total{command=\"GET\",frontend=\"cli\"} 1.0");
  }

  @Test
  void errorKindsAreTheFirstUpperCaseWordAndBounded() throws IOException {
    assertThat(ErrorKinds.kindOf("ERR unknown command")).isEqualTo("ERR");
    assertThat(ErrorKinds.kindOf("CLUSTERDOWN 2 or more servers")).isEqualTo("CLUSTERDOWN");
    assertThat(ErrorKinds.kindOf("NOQUORUM")).isEqualTo("NOQUORUM");
    assertThat(ErrorKinds.kindOf("error: lower case")).isEqualTo(ErrorKinds.OTHER);
    assertThat(ErrorKinds.kindOf("")).isEqualTo(ErrorKinds.OTHER);
    assertThat(ErrorKinds.kindOf("A".repeat(40) + " x")).isEqualTo(ErrorKinds.OTHER);
    ErrorKinds errors = new ErrorKinds(registry, "kv", "Error replies", "ERR");
    assertThat(text()).contains("kv_errors_total{kind=\"ERR\"} 0.0");
    errors.count("ERR x");
    for (int i = 0; i < ErrorKinds.MAX_KINDS + 10; i++) {
      errors.count("K" + i + " y");
    }
    String text = text();
    assertThat(text).contains("kv_errors_total{kind=\"ERR\"} 1.0", "kv_errors_total{kind=\"OTHER\"} 11.0");
    assertThat(text.lines().filter(l -> l.startsWith("kv_errors_total{")).count()).isEqualTo(ErrorKinds.MAX_KINDS + 1);
  }
}
