package kv.cluster;

import java.util.Objects;

/**
 * One line of a server file: the server's address and the Raft port it was given with
 * {@code raft=PORT}, or 0 when the line has none (strong mode then uses its default). Immutable.
 */
public record ServerLine(ServerAddress address, int raftPort) {
  public ServerLine {
    Objects.requireNonNull(address, "address");
    if (raftPort < 0 || raftPort > 65535) {
      throw new IllegalArgumentException("raft port: " + raftPort + " (expected: 0 for the default, or 1..65535)");
    }
  }
}
