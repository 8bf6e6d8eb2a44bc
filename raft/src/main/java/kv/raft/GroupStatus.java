package kv.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * One group as its members answered a status probe: who leads, in which term, how far the log
 * is committed and applied, which members are up and whether a majority is. Immutable.
 *
 * @param group the group's number
 * @param members every member, in placement order, with what it answered
 * @param leader the leader as the up member with the highest term sees it, or null
 * @param term that member's term
 * @param commitIndex the leader's commit index (the highest any up member reports when no leader)
 * @param lastApplied the leader's last applied index (likewise)
 */
public record GroupStatus(int group, List<MemberStatus> members, Member leader, long term, long commitIndex,
    long lastApplied) {
  public GroupStatus {
    members = List.copyOf(members);
  }

  /**
   * One member's answer.
   *
   * @param up whether it answered
   * @param role leader, follower, candidate (or down)
   * @param leader the leader it knows, or null
   */
  public record MemberStatus(Member member, boolean up, String role, Member leader, long term,
      long commitIndex, long lastApplied) {
    static MemberStatus down(Member m) {
      return new MemberStatus(m, false, "down", null, 0, 0, 0);
    }
  }

  /**
   * The group as PySyncObj's getStatus names it, for machine-readable status (a broker's):
   * {@code leader}, {@code raft_term}, {@code commit_idx}, {@code last_applied},
   * {@code has_quorum} (1 or 0), {@code members}, {@code members_up}, then per member
   * {@code partner_node_status_server_IP:PORT} (2 up, 0 down) and {@code state_server_IP:PORT}
   * (leader, follower, candidate, down).
   */
  public java.util.Map<String, String> infoFields() {
    java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
    f.put("leader", leader == null ? "none" : leader.toString());
    f.put("raft_term", Long.toString(term));
    f.put("commit_idx", Long.toString(commitIndex));
    f.put("last_applied", Long.toString(lastApplied));
    f.put("has_quorum", hasQuorum() ? "1" : "0");
    f.put("members", Integer.toString(members.size()));
    f.put("members_up", Integer.toString(up().size()));
    for (MemberStatus m : members) {
      f.put("partner_node_status_server_" + m.member(), m.up() ? "2" : "0");
    }
    for (MemberStatus m : members) {
      f.put("state_server_" + m.member(), m.role());
    }
    return f;
  }

  /** Whether a majority of the members is up. */
  public boolean hasQuorum() {
    return up().size() >= members.size() / 2 + 1;
  }

  public List<Member> up() {
    List<Member> result = new ArrayList<>();
    for (MemberStatus m : members) {
      if (m.up()) {
        result.add(m.member());
      }
    }
    return result;
  }

  public List<Member> down() {
    List<Member> result = new ArrayList<>();
    for (MemberStatus m : members) {
      if (!m.up()) {
        result.add(m.member());
      }
    }
    return result;
  }

  /** Every member's list of members, for building the status from answers. */
  static GroupStatus of(int group, List<MemberStatus> answers) {
    MemberStatus best = null;
    for (MemberStatus m : answers) {
      if (m.up() && (best == null || m.term() > best.term()
          || (m.term() == best.term() && "leader".equals(m.role())))) {
        best = m;
      }
    }
    Member leader = best == null ? null : best.leader();
    MemberStatus leaderAnswer = null;
    for (MemberStatus m : answers) {
      if (m.up() && m.member().equals(leader) && "leader".equals(m.role())) {
        leaderAnswer = m;
      }
    }
    long commit = 0;
    long applied = 0;
    if (leaderAnswer != null) {
      commit = leaderAnswer.commitIndex();
      applied = leaderAnswer.lastApplied();
    } else {
      for (MemberStatus m : answers) {
        commit = Math.max(commit, m.commitIndex());
        applied = Math.max(applied, m.lastApplied());
      }
    }
    return new GroupStatus(group, answers, leaderAnswer == null ? null : leader, best == null ? 0 : best.term(),
        commit, applied);
  }
}
