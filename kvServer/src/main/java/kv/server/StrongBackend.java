package kv.server;

import java.util.List;
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

  /**
   * One Raft group this server hosts, as it sees it: its role ({@code leader}, {@code follower},
   * {@code candidate}, ...), term, commit and applied index, snapshot index, whether a majority of
   * the members answers, how many members there are and are up, and the records of its replica.
   */
  record GroupView(int group, String role, long term, long commitIndex, long lastApplied, long snapshotIndex,
      boolean hasQuorum, int members, int membersUp, long records) {}

  /**
   * The groups this server hosts (for the metrics), asking every member how it is within a bounded
   * time and otherwise judging from this server's own view, as INFO does.
   */
  List<GroupView> groups();

  /** For the start line: where the data is and what was loaded. */
  String describe();

  /** Stops the client and the Raft server (each group takes a snapshot). */
  @Override
  void close();
}
