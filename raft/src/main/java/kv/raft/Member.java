package kv.raft;

import java.util.Objects;
import kv.cluster.ServerAddress;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * One server of a strong-mode cluster: its RESP address (its name everywhere: placement, logs,
 * status) and its Raft port on the same host. Its Raft peer id is derived from the address, so
 * every process names it alike. Immutable.
 */
public record Member(ServerAddress address, int raftPort) {
  public Member {
    Objects.requireNonNull(address, "address");
    if (raftPort < 1 || raftPort > 65535) {
      throw new IllegalArgumentException("raft port of " + address + ": " + raftPort + " (expected: 1..65535)");
    }
  }

  /** {@code 127.0.0.1_9000}: the address with '_' for ':' (peer ids end up in thread and file names). */
  public RaftPeerId peerId() {
    return RaftPeerId.valueOf(address.host() + "_" + address.port());
  }

  /** {@code host:raftPort}, where its Raft server listens. */
  public String raftAddress() {
    return address.host() + ":" + raftPort;
  }

  RaftPeer peer() {
    return RaftPeer.newBuilder().setId(peerId()).setAddress(raftAddress()).build();
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
