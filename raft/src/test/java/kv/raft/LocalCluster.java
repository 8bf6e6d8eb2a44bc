package kv.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kv.cluster.ServerAddress;
import kv.cluster.ServerLine;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Test harness: n Raft nodes in this JVM on port 0, named by made-up RESP addresses
 * 127.0.0.1:(1001+i), each with its storage under a temporary directory; a node can be stopped
 * (its server closed: peers see its port refuse connections) and restarted from its storage.
 */
final class LocalCluster implements AutoCloseable {
  final Path dir;
  final RaftTuning tuning;
  final RaftNode[] nodes;
  final GroupLayout layout;
  /** Each node's TLS files (null: plain), the same when it restarts. */
  final RaftTls[] tls;

  private LocalCluster(Path dir, RaftTuning tuning, RaftNode[] nodes, GroupLayout layout, RaftTls[] tls) {
    this.dir = dir;
    this.tuning = tuning;
    this.nodes = nodes;
    this.layout = layout;
    this.tls = tls;
  }

  static ServerAddress address(int i) {
    return new ServerAddress("127.0.0.1", 1001 + i);
  }

  static LocalCluster start(Path dir, int n, int k, int groups, RaftTuning tuning) throws IOException {
    return start(dir, n, k, groups, tuning, MapApplier::new);
  }

  /** As above, every group's state machine on every node a new applier from {@code appliers}. */
  static LocalCluster start(Path dir, int n, int k, int groups, RaftTuning tuning,
      java.util.function.Supplier<Applier> appliers) throws IOException {
    return start(dir, k, groups, tuning, appliers, new RaftTls[n]);
  }

  /** n = tls.length nodes, node i with mutual TLS from {@code tls[i]} (null: plain). */
  static LocalCluster start(Path dir, int k, int groups, RaftTuning tuning,
      java.util.function.Supplier<Applier> appliers, RaftTls... tls) throws IOException {
    int n = tls.length;
    RaftNode[] nodes = new RaftNode[n];
    List<ServerLine> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RaftPeerId id = new Member(address(i), 1).peerId();
      nodes[i] = RaftNode.start(id, "127.0.0.1", 0, dir.resolve("node" + i), tuning, appliers, tls[i]);
      lines.add(new ServerLine(address(i), nodes[i].port()));
    }
    GroupLayout layout = GroupLayout.of(lines, k, groups);
    for (RaftNode node : nodes) {
      node.join(layout);
    }
    return new LocalCluster(dir, tuning, nodes, layout, tls.clone());
  }

  /** Tuning for tests: the defaults for the groups a node hosts, short attempts. */
  static RaftTuning tuning(int groupsPerNode) {
    return RaftTuning.defaults(groupsPerNode, 1 << 20).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(8));
  }

  void stop(int i) {
    nodes[i].close();
    nodes[i] = null;
  }

  void restart(int i) throws IOException {
    RaftPeerId id = layout.servers().get(i).peerId();
    nodes[i] = RaftNode.start(id, "127.0.0.1", layout.servers().get(i).raftPort(), dir.resolve("node" + i), tuning,
        MapApplier::new, tls[i]);
    nodes[i].join(layout);
  }

  /** The index of the node that leads {@code group} now, or -1. */
  int leader(int group) {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] == null) {
        continue;
      }
      RaftNode.LocalStatus s = nodes[i].localStatus(layout.groupId(group));
      if (s != null && s.role().equals("leader")) {
        return i;
      }
    }
    return -1;
  }

  MapApplier applier(int node, int group) {
    return (MapApplier) nodes[node].stateMachine(layout.groupId(group)).applier();
  }

  StrongClient client(ClientOptions options) {
    return StrongClient.connect(layout, tuning, options);
  }

  /** A client speaking mutual TLS with {@code clientTls} (null: plain) and this cluster's tuning. */
  StrongClient client(ClientOptions options, RaftTuning clientTuning, RaftTls clientTls) {
    return StrongClient.connect(layout, clientTuning, options, clientTls);
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        stop(i);
      }
    }
  }
}
