package kv.server;

import kv.raft.StrongClient;

/**
 * The Raft side of a strong-mode server, as its RESP front end sees it: the client every data
 * command goes through, and what INFO shows of the groups and of this server's local replicas.
 * Implemented by {@code kv.server.strong.StrongNode}; thread-safe.
 */
public interface StrongBackend extends AutoCloseable {
  /** The client the front end sends reads and writes through. */
  StrongClient client();

  /** Records in this server's replicas of its groups (may lag the leaders). */
  long localRecords();

  /** INFO's {@code # Raft} section, without its title: {@code name:value} lines ending in CR LF. */
  String infoSection();

  /** For the start line: where the data is and what was loaded. */
  String describe();

  /** Stops the client and the Raft server (each group takes a snapshot). */
  @Override
  void close();
}
