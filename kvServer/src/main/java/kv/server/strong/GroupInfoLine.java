package kv.server.strong;

import kv.raft.GroupLayout;
import kv.raft.GroupStatus;
import kv.raft.Member;
import kv.raft.RaftNode;
import kv.raft.RaftTuning;

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
    StringBuilder b = new StringBuilder("group").append(g).append(':');
    b.append("state=").append(local.role());
    Member leader = local.leader() == null ? null : byPeer(layout, local.leader());
    b.append(",leader=").append(leader == null ? "none" : leader.toString());
    b.append(",raft_term=").append(local.term());
    b.append(",commit_idx=").append(local.commitIndex());
    b.append(",last_applied=").append(local.lastApplied());
    b.append(",snapshot_idx=").append(Math.max(0, local.snapshotIndex()));
    int members = layout.members(g).size();
    int up;
    boolean quorum;
    StringBuilder partners = new StringBuilder();
    if (probed != null) {
      up = probed.up().size();
      quorum = probed.hasQuorum();
      for (GroupStatus.MemberStatus m : probed.members()) {
        if (!m.member().equals(self)) {
          partners.append(",partner_node_status_server_").append(m.member()).append('=').append(m.up() ? 2 : 0);
        }
      }
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
    b.append(",has_quorum=").append(quorum ? 1 : 0);
    b.append(",members=").append(members);
    b.append(",members_up=").append(up);
    b.append(",records=").append(records);
    b.append(partners);
    return b.toString();
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
