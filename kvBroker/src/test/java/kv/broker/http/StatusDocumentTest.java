package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.ServerStatus;
import org.junit.jupiter.api.Test;

/**
 * The JSON status reads any engine's status, not the eventual one's only: a strong engine's Raft
 * groups (GroupStatus.infoFields in a section) become {@code groups}, checked against
 * api/openapi.yml.
 */
class StatusDocumentTest {
  private static final List<ServerStatus> SERVERS = List.of(
      new ServerStatus("127.0.0.1:9001", true, Instant.parse("2026-12-04T10:00:00Z"), -1, "", false, 0),
      new ServerStatus("127.0.0.1:9002", false, Instant.parse("2026-12-04T10:00:01Z"), -1, "", false, 0));

  private static OpenApiCheck.Answer answer(String json) {
    return new OpenApiCheck.Answer(200, Map.of("content-type", "application/json"), json);
  }

  @Test
  void raftGroupsInAnEnginesSectionAreTheGroupsWithPySyncObjsNames() {
    Map<String, String> raft = new LinkedHashMap<>();
    raft.put("raft_server0", "address=127.0.0.1:9001,state=leader,groups_led=1,groups_followed=0");
    raft.put("group0", "leader=127.0.0.1:9001,raft_term=3,commit_idx=17,last_applied=17,has_quorum=1,members=2,"
        + "members_up=1,partner_node_status_server_127.0.0.1:9001=2,partner_node_status_server_127.0.0.1:9002=0,"
        + "state_server_127.0.0.1:9001=leader,state_server_127.0.0.1:9002=down");
    raft.put("group1", "leader=none,raft_term=2,commit_idx=5,last_applied=4,has_quorum=0,members=1,members_up=0,"
        + "state_server_127.0.0.1:9002=down");
    String json = StatusDocument.json("strong", new EngineStatus(SERVERS, List.of(new EngineStatus.Section("Raft", raft))));

    assertThat(json).contains("\"engine\":\"strong\"").contains("\"groups\":[{\"group\":0,\"leader\":\"127.0.0.1:9001\","
        + "\"raft_term\":3,\"commit_idx\":17,\"last_applied\":17,\"has_quorum\":true,\"members\":[{\"address\":"
        + "\"127.0.0.1:9001\",\"state\":\"leader\"},{\"address\":\"127.0.0.1:9002\",\"state\":\"down\"}]},{\"group\":1,"
        + "\"leader\":null,\"raft_term\":2,\"commit_idx\":5,\"last_applied\":4,\"has_quorum\":false,\"members\":"
        + "[{\"address\":\"127.0.0.1:9002\",\"state\":\"down\"}]}]");
    OpenApiCheck.validate("GET", "/admin/status", Map.of("Accept", "application/json"), null, answer(json));
  }

  @Test
  void theEventualEnginesSectionsHaveNoGroups() {
    String json = StatusDocument.json("eventual", new EngineStatus(SERVERS, List.of(new EngineStatus.Section(
        "Catch-up", Map.of("read_repairs", "0", "note", "a=b")))));
    assertThat(json).contains("\"engine\":\"eventual\"").endsWith("\"groups\":[]}");
    OpenApiCheck.validate("GET", "/admin/status", Map.of("Accept", "application/json"), null, answer(json));
  }
}
