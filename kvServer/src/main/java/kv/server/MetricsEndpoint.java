package kv.server;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.Locale;

/**
 * The metrics port ({@code --metrics-port}): the Prometheus client library's HTTP server serving
 * one registry at {@code GET /metrics} (text format, or OpenMetrics when asked) and
 * {@code GET /-/healthy}. Thread-safe.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  static MetricsEndpoint start(String address, int port, PrometheusRegistry registry) {
    try {
      return new MetricsEndpoint(HTTPServer.builder().hostname(address).port(port).registry(registry).buildAndStart());
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof BindException) {
        why = why.toLowerCase(Locale.ROOT);
      }
      throw new UncheckedIOException(new BindException("cannot listen on " + hostPort(address, port) + " (metrics): "
          + why));
    }
  }

  int port() {
    return server.getPort();
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public void close() {
    server.close();
  }
}
