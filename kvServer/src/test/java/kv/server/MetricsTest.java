package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import kv.server.durable.DurableConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import kv.testkit.PromScrape;

/** kvServer's {@code /metrics}: the series move with the requests, and the text is valid for Prometheus. */
class MetricsTest {

  @Test
  void requestsErrorsRecordsAndTheLogShowInTheMetrics(@TempDir Path dir) throws Exception {
    try (KvServer server = KvServer.start(ServerConfig.defaults().withDurable(DurableConfig.of(dir)));
        Jedis jedis = ServerFixture.client(server)) {
      int port = server.serveMetrics("127.0.0.1", 0);
      PromScrape before = PromScrape.fetch(port);
      assertThat(before.value("kv_requests_total", "command", "GET")).isZero();
      assertThat(before.value("kv_records")).isZero();
      assertThat(before.value("kv_log_writable")).isEqualTo(1);
      assertThat(before.types()).containsEntry("kv_request_duration_seconds", "histogram")
          .containsEntry("kv_requests_total", "counter").containsEntry("kv_records", "gauge");

      assertThat(ServerFixture.send(jedis, Cmd.PUT, "person1", "{ \"name\" : \"John\" }")).isEqualTo("OK");
      assertThat(ServerFixture.send(jedis, Cmd.PUT, "person2", "{ \"name\" : \"Mary\" }")).isEqualTo("OK");
      assertThat(ServerFixture.send(jedis, Cmd.GET, "person1")).isNotNull();
      assertThat(ServerFixture.send(jedis, Cmd.GET, "nobody")).isNull();
      assertThat(ServerFixture.send(jedis, Cmd.DELETE, "person2")).isEqualTo(1L);
      assertThat(ServerFixture.error(jedis, Cmd.FOO, "x")).startsWith("ERR unknown command");
      assertThat(ServerFixture.error(jedis, Cmd.GET)).startsWith("ERR wrong number of arguments");
      assertThat(ServerFixture.error(jedis, Cmd.PUT, "bad", "{ \"x\" : }")).startsWith("ERR invalid record");

      PromScrape after = PromScrape.fetch(port);
      assertThat(after.value("kv_requests_total", "command", "GET")).isEqualTo(3);
      assertThat(after.value("kv_requests_total", "command", "PUT")).isEqualTo(3);
      assertThat(after.value("kv_requests_total", "command", "DELETE")).isEqualTo(1);
      assertThat(after.value("kv_requests_total", "command", "unknown")).as("FOO has no series of its own").isEqualTo(1);
      assertThat(after.has("kv_requests_total", "command", "FOO")).isFalse();
      assertThat(after.value("kv_request_duration_seconds_count", "command", "GET")).isEqualTo(3);
      assertThat(after.value("kv_request_duration_seconds_bucket", "command", "GET", "le", "+Inf")).isEqualTo(3);
      assertThat(after.value("kv_request_duration_seconds_sum", "command", "GET")).isPositive();
      assertThat(after.value("kv_errors_total", "kind", "ERR")).isEqualTo(3);
      assertThat(after.value("kv_records")).isEqualTo(1);
      assertThat(after.value("kv_tombstones")).isEqualTo(1);
      assertThat(after.value("kv_connected_clients")).isEqualTo(1);
      assertThat(after.value("kv_connections_received_total")).isEqualTo(1);
      assertThat(after.value("kv_log_bytes")).isPositive();
      assertThat(after.value("kv_compactions_total")).isZero();
      assertThat(after.value("kv_clients_closed_for_limits_total")).isZero();
      assertThat(after.value("kv_server_info", "mode", "eventual", "version", KvServer.VERSION)).isEqualTo(1);
      assertThat(after.has("kv_raft_term")).as("no Raft series in eventual mode").isFalse();
    }
  }

  @Test
  void promtoolFindsNothingToSayAboutTheText(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(PromScrape.promtoolInstalled(),
        "promtool is not installed (apt-get install prometheus; .ci/run installs it): the text is not linted");
    try (KvServer server = KvServer.start(ServerConfig.defaults().withDurable(DurableConfig.of(dir)));
        Jedis jedis = ServerFixture.client(server)) {
      int port = server.serveMetrics("127.0.0.1", 0);
      ServerFixture.send(jedis, Cmd.PUT, "person1", "{ \"name\" : \"John\" }");
      ServerFixture.error(jedis, Cmd.FOO);
      assertThat(PromScrape.fetch(port).promtool()).isEqualTo("0");
    }
  }

  @Test
  void aSecondEndpointIsRefused() throws Exception {
    try (KvServer server = KvServer.start(ServerConfig.defaults())) {
      server.serveMetrics("127.0.0.1", 0);
      assertThatThrownBy(() -> server.serveMetrics("127.0.0.1", 0)).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("metrics: served already on port ");
    }
  }

  @Test
  void metricsFlags() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(KvServerCommand.run(new String[] {"-p", "0", "--metrics-bind", "127.0.0.1"}, new PrintWriter(out, true),
        new PrintWriter(err, true))).isEqualTo(2);
    assertThat(err.toString()).startsWith("kvServer: --metrics-bind: only with --metrics-port PORT");
    err.getBuffer().setLength(0);
    assertThat(KvServerCommand.run(new String[] {"-p", "0", "--metrics-port", "70000"}, new PrintWriter(out, true),
        new PrintWriter(err, true))).isEqualTo(2);
    assertThat(err.toString()).startsWith("kvServer: --metrics-port: 70000 (expected: 0..65535)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aTakenMetricsPortIsOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ServerProcess.Failed failed = ServerProcess.startFailing(dir, "-p", "0", "--quiet",
          "--metrics-port", Integer.toString(port));
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.stderr()).contains("kvServer: cannot listen on 127.0.0.1:" + port
          + " (metrics): address already in use");
    }
  }
}
