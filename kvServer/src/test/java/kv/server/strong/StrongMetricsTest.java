package kv.server.strong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import kv.testkit.PromScrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** A strong-mode kvServer's {@code /metrics}: one series per Raft group it hosts. */
class StrongMetricsTest {

  @Test
  void eachGroupHasItsRoleTermIndexesAndQuorum(@TempDir Path dir) throws Exception {
    try (StrongServers cluster = StrongServers.start(dir, 3, 3, 2); Jedis a = cluster.jedis(0)) {
      int[] ports = new int[3];
      for (int i = 0; i < 3; i++) {
        ports[i] = cluster.servers[i].serveMetrics("127.0.0.1", 0);
      }
      for (int i = 0; i < 10; i++) {
        assertThat(a.sendCommand(() -> "PUT".getBytes(), "k" + i, "{ \"n\" : " + i + " }")).isEqualTo("OK".getBytes());
      }
      // each group has one leader among the three, and its commit index covers the writes
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (String group : new String[] {"0", "1"}) {
          double leaders = 0;
          for (int port : ports) {
            PromScrape m = PromScrape.fetch(port);
            leaders += m.value("kv_raft_state", "group", group, "role", "leader");
            assertThat(m.value("kv_raft_term", "group", group)).isPositive();
            assertThat(m.value("kv_raft_has_quorum", "group", group)).isEqualTo(1);
            assertThat(m.value("kv_raft_members", "group", group)).isEqualTo(3);
            assertThat(m.value("kv_raft_commit_index", "group", group)).isPositive();
            assertThat(m.value("kv_raft_last_applied_index", "group", group)).isPositive();
          }
          assertThat(leaders).as("leaders of group %s", group).isEqualTo(1);
        }
      });
      PromScrape first = PromScrape.fetch(ports[0]);
      assertThat(first.value("kv_requests_total", "command", "PUT")).isEqualTo(10);
      assertThat(first.value("kv_records")).isEqualTo(10);
      assertThat(first.value("kv_server_info", "mode", "strong")).isEqualTo(1);
      assertThat(first.has("kv_log_bytes")).as("the Raft log is not the eventual log").isFalse();
      if (PromScrape.promtoolInstalled()) {
        assertThat(first.promtool()).isEqualTo("0");
      }
    }
  }
}
