package kv.server.strong;

import kv.raft.GroupLayout;
import kv.raft.GroupStatus;
import kv.raft.Member;
import kv.raft.RaftNode;
import kv.raft.RaftTuning;
import kv.server.StrongBackend;

/**
 * One group's line in INFO's Raft section, in the style of Redis's keyspace lines, with the
 * field names PySyncObj's getStatus uses where one exists: {@code groupG:state=leader,leader=...,
 * raft_term=..,commit_idx=..,last_applied=..,has_quorum=1,members=3,members_up=3,records=..,
 * partner_node_status_server_IP:PORT=2,...} (2 connected, 0 down, as PySyncObj). Stateless.
 */
final class GroupInfoLine {
  private GroupInfoLine() {}

  /*
   * The local fields (state, leader as this server knows it, term, commit index, last applied)
   * come from this server's Raft division; members up, has_quorum and the partners' status from
   * a probe of every member (GroupStatus). When the probe did not answer in time, they come
   * from this server's own view: a leader counts the followers it heard from within two
   * election timeouts, a follower its leader.
   */
  static String of(int g, GroupLayout layout, Member self, RaftNode.LocalStatus local, GroupStatus probed,
      long records, RaftTuning tuning) {
    StrongBackend.GroupView v = view(g, layout, local, probed, records, tuning);
    StringBuilder b = new StringBuilder("group").append(g).append(':');
    b.append("state=").append(v.role());
    Member leader = local.leader() == null ? null : byPeer(layout, local.leader());
    b.append(",leader=").append(leader == null ? "none" : leader.toString());
    b.append(",raft_term=").append(v.term());
    b.append(",commit_idx=").append(v.commitIndex());
    b.append(",last_applied=").append(v.lastApplied());
    b.append(",snapshot_idx=").append(v.snapshotIndex());
    b.append(",has_quorum=").append(v.hasQuorum() ? 1 : 0);
    b.append(",members=").append(v.members());
    b.append(",members_up=").append(v.membersUp());
    b.append(",records=").append(v.records());
    if (probed != null) {
      for (GroupStatus.MemberStatus m : probed.members()) {
        if (!m.member().equals(self)) {
          b.append(",partner_node_status_server_").append(m.member()).append('=').append(m.up() ? 2 : 0);
        }
      }
    }
    return b.toString();
  }

  /** The group's fields as INFO's line shows them (for the metrics). */
  static StrongBackend.GroupView view(int g, GroupLayout layout, RaftNode.LocalStatus local, GroupStatus probed,
      long records, RaftTuning tuning) {
    int members = layout.members(g).size();
    int up;
    boolean quorum;
    if (probed != null) {
      up = probed.up().size();
      quorum = probed.hasQuorum();
    } else {
      long recent = 2 * tuning.electionMax().toMillis();
      up = 1;
      if (local.role().equals("leader")) {
        for (String f : local.followersHeard()) {
          if (Long.parseLong(f.substring(f.lastIndexOf('=') + 1)) <= recent) {
            up++;
          }
        }
      } else if (local.leaderSilenceMs() >= 0 && local.leaderSilenceMs() <= recent) {
        up++;
      }
      quorum = up >= members / 2 + 1;
    }
    return new StrongBackend.GroupView(g, local.role(), local.term(), local.commitIndex(), local.lastApplied(),
        Math.max(0, local.snapshotIndex()), quorum, members, up, records);
  }

  private static Member byPeer(GroupLayout layout, String peerId) {
    for (Member m : layout.servers()) {
      if (m.peerId().toString().equals(peerId)) {
        return m;
      }
    }
    return null;
  }
}
