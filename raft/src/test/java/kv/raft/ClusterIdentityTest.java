package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import kv.cluster.ServerFile;
import kv.cluster.ServerLine;
import org.junit.jupiter.api.Test;

class ClusterIdentityTest {
  private static ClusterIdentity identity(String file, int k, int groups) throws Exception {
    return ClusterIdentity.of(ServerFile.parseLines("serverFile.txt", file), k, groups);
  }

  private static final String THREE = "127.0.0.1 9000\n127.0.0.1 9001\n127.0.0.1 9002\n";

  @Test
  void textFormRoundTrips() throws Exception {
    ClusterIdentity id = identity(THREE + "127.0.0.1 9003 raft=29003\n", 3, 2);
    String text = id.toText();
    assertThat(text).contains("groups 2\n", "k 3\n", "server 127.0.0.1:9003 raft=29003\n");
    assertThat(ClusterIdentity.parseText("cluster.txt", text)).isEqualTo(id);
  }

  @Test
  void infoFieldsRoundTripAndIgnoreServerOrder() throws Exception {
    ClusterIdentity id = identity(THREE, 3, 1);
    Map<String, String> fields = id.infoFields();
    assertThat(fields).containsEntry("raft_groups", "1").containsEntry("raft_k", "3")
        .containsEntry("raft_servers", "127.0.0.1:9000/19000,127.0.0.1:9001/19001,127.0.0.1:9002/19002");
    ClusterIdentity back = ClusterIdentity.fromInfo(fields);
    assertThat(back.mismatch(id, "x")).isEmpty();
    assertThat(back.digest()).isEqualTo(id.digest());
    StringBuilder info = new StringBuilder("# Server\r\nkv_version:0.1.0\r\n\r\n# Raft\r\n");
    fields.forEach((name, value) -> info.append(name).append(':').append(value).append("\r\n"));
    info.append("group0:state=leader,leader=127.0.0.1:9000\r\n");
    assertThat(ClusterIdentity.fromInfoText(info.toString())).isEqualTo(id);
    assertThatThrownBy(() -> ClusterIdentity.fromInfoText("# Server\r\nkv_version:0.1.0\r\n"))
        .hasMessage("raft_groups: missing (expected: the INFO of a strong-mode server, with its # Raft section)");
    List<ServerLine> reversed = new ArrayList<>(ServerFile.parseLines("s", THREE));
    Collections.reverse(reversed);
    assertThat(ClusterIdentity.of(reversed, 3, 1).digest()).isEqualTo(id.digest());
  }

  @Test
  void aMismatchIsOneLineSayingWhatDiffers() throws Exception {
    ClusterIdentity cluster = identity(THREE, 3, 2);
    String where = "data/cluster.txt at first start";
    assertThat(identity(THREE, 3, 3).mismatch(cluster, where)).contains(
        "--groups 3 differs from this cluster's 2 (recorded in data/cluster.txt at first start)");
    assertThat(identity(THREE, 2, 2).mismatch(cluster, where)).contains(
        "-k 2 differs from this cluster's 3 (recorded in data/cluster.txt at first start)");
    assertThat(identity("127.0.0.1 9000\n127.0.0.1 9001\n127.0.0.1 9005\n127.0.0.1 9006\n", 3, 2).mismatch(cluster, where))
        .contains("the server file adds 127.0.0.1:9005, 127.0.0.1:9006 (not in this cluster); the server file lacks"
            + " 127.0.0.1:9002 (in this cluster) (recorded in data/cluster.txt at first start)");
    assertThat(identity("127.0.0.1 9000\n127.0.0.1 9001 raft=5\n127.0.0.1 9002\n", 2, 2).mismatch(cluster, where))
        .contains("-k 2 differs from this cluster's 3; the server file gives 127.0.0.1:9001 raft port 5 where this"
            + " cluster's is 19001 (recorded in data/cluster.txt at first start)");
    assertThat(identity("127.0.0.1 9002\n127.0.0.1:9000\n127.0.0.1 9001\n", 3, 2).mismatch(cluster, where)).isEmpty();
  }

  @Test
  void badTextNamesTheFileAndLine() {
    assertThatThrownBy(() -> ClusterIdentity.parseText("d/cluster.txt", "groups 2\nk three\n"))
        .hasMessage("d/cluster.txt line 2: \"k three\" (expected: groups N, k N or server ip:port raft=PORT)");
    assertThatThrownBy(() -> ClusterIdentity.parseText("d/cluster.txt", "# only a comment\ngroups 1\n"))
        .hasMessage("d/cluster.txt: incomplete (expected: a groups line, a k line and server lines)");
    assertThatThrownBy(() -> ClusterIdentity.parseText("d/cluster.txt", "groups 1\nk 2\nserver 127.0.0.1:1 raft=2\n"))
        .hasMessage("d/cluster.txt: k: 2 (expected: 1..1, the number of servers)");
    assertThatThrownBy(() -> ClusterIdentity.fromInfo(Map.of("raft_groups", "x")))
        .hasMessage("raft_groups: 'x' (expected: an integer in INFO's Raft section)");
  }
}
