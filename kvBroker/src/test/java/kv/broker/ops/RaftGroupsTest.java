package kv.broker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kv.broker.command.StatusJson;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.testkit.PromScrape;
import kv.record.JsonPrinter;
import kv.record.Path;
import kv.record.Value;
import org.junit.jupiter.api.Test;

/**
 * A strong engine's status (the section {@code Raft} with one {@code groupG} line of PySyncObj's
 * names per group, as the strong broker writes it) as metrics and on the status page's JSON.
 */
class RaftGroupsTest {
  private static final String A = "127.0.0.1:9001";
  private static final String B = "127.0.0.1:9002";
  private static final String C = "127.0.0.1:9003";

  @Test
  void eachGroupsTermCommitLeaderAndQuorumAreSeries() throws Exception {
    BrokerMetrics metrics = new BrokerMetrics(new StrongStatus(), "strong", "test");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    PromScrape scrape = PromScrape.parse(out.toString(StandardCharsets.UTF_8));
    if (PromScrape.promtoolInstalled()) {
      assertThat(scrape.promtool()).isEqualTo("0");
    }
    assertThat(scrape.value("kv_broker_raft_term", "group", "0")).isEqualTo(3);
    assertThat(scrape.value("kv_broker_raft_commit_index", "group", "0")).isEqualTo(42);
    assertThat(scrape.value("kv_broker_raft_has_quorum", "group", "1")).isZero();
    assertThat(scrape.value("kv_broker_raft_members_up", "group", "1")).isEqualTo(1);
    assertThat(scrape.value("kv_broker_raft_leader", "group", "0", "leader", A)).isEqualTo(1);
    assertThat(scrape.value("kv_broker_raft_leader", "group", "1", "leader", "none")).isEqualTo(1);
    assertThat(scrape.value("kv_broker_info", "mode", "strong", "version", "test")).isEqualTo(1);
  }

  @Test
  void theStatusPagesJsonListsEachGroupWithItsMembersRoles() {
    String json = JsonPrinter.print(StatusJson.of(new StrongStatus().status(), Instant.parse("2026-01-01T00:01:00Z")));
    assertThat(json).contains("\"groups\":[{\"group\":0,\"leader\":\"" + A + "\",\"raft_term\":3,\"commit_idx\":42,"
        + "\"last_applied\":42,\"has_quorum\":1,\"member_count\":3,\"members_up\":3,\"members\":[{\"address\":\"" + A
        + "\",\"up\":true,\"role\":\"leader\"},{\"address\":\"" + B + "\",\"up\":true,\"role\":\"follower\"}");
    assertThat(json).contains("{\"group\":1,\"leader\":\"none\"");
    assertThat(json).contains("{\"address\":\"" + C + "\",\"up\":false,\"role\":null}");
  }

  /** An engine whose status is what a strong broker reports: two groups, the second without quorum. */
  private static final class StrongStatus implements Engine {
    @Override
    public EngineStatus status() {
      Map<String, String> raft = new LinkedHashMap<>();
      raft.put("raft_read", "linearizable");
      raft.put("group0", "leader=" + A + ",raft_term=3,commit_idx=42,last_applied=42,has_quorum=1,members=3,"
          + "members_up=3,partner_node_status_server_" + A + "=2,partner_node_status_server_" + B + "=2,"
          + "partner_node_status_server_" + C + "=2,state_server_" + A + "=leader,state_server_" + B + "=follower,"
          + "state_server_" + C + "=follower");
      raft.put("group1", "leader=none,raft_term=5,commit_idx=7,last_applied=7,has_quorum=0,members=3,members_up=1,"
          + "partner_node_status_server_" + A + "=2,partner_node_status_server_" + B + "=0,"
          + "partner_node_status_server_" + C + "=0,state_server_" + A + "=candidate");
      Instant since = Instant.parse("2026-01-01T00:00:00Z");
      return new EngineStatus(List.of(new ServerStatus(A, true, since, -1, "", false),
          new ServerStatus(B, true, since, -1, "", false), new ServerStatus(C, false, since, -1, "", false)),
          List.of(new EngineStatus.Section("Raft", raft)));
    }

    @Override
    public CompletableFuture<Outcome> get(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Outcome> query(Path path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Outcome> delete(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Outcome> put(String key, String setText) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Outcome> putValue(String key, Value value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Outcome> append(Path path, Value element) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> replicasOf(String key) {
      return List.of();
    }

    @Override
    public void close() {
    }
  }
}
