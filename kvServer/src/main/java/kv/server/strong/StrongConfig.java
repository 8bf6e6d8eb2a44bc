package kv.server.strong;

import java.nio.file.Path;
import kv.raft.ClientOptions;

/**
 * A strong-mode server's settings (SPEC.md §8), from {@code kvServer --strong}. Immutable.
 *
 * @param serverFile the cluster's server file (the same for every server and broker)
 * @param k members per group; 0: 3, or every server when there are fewer
 * @param groups number of groups; 0: servers / k (at least 1)
 * @param raftPort 0, or the port this server listens on for Raft when it differs from the one
 *     the server file gives it (which is where the others connect: a forwarder, NAT or test proxy
 *     delivers that traffic here); the file stays the one source of the cluster's addresses
 * @param dataDir where the cluster identity, Raft logs and snapshots live
 * @param readMode LINEARIZABLE, or LOCAL (the leader reads its own state without ReadIndex)
 * @param electionMillis 0 for the default rule (RaftTuning.defaults), or the shortest election
 *     timeout in ms (the longest is twice that)
 */
public record StrongConfig(Path serverFile, int k, int groups, int raftPort, Path dataDir,
    ClientOptions.ReadMode readMode, int electionMillis) {
  public static final int DEFAULT_K = 3;

  public StrongConfig {
    if (k < 0 || groups < 0 || raftPort < 0 || raftPort > 65535 || electionMillis < 0) {
      throw new IllegalArgumentException("strong config: k " + k + ", groups " + groups + ", raft port " + raftPort
          + " (expected: k >= 1, groups >= 1, raft port 1..65535, or 0 for the default)");
    }
  }
}
