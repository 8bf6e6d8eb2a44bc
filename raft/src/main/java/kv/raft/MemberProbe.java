package kv.raft;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroupId;

/** Asks one member for its view of a group (Ratis's group info call). Stateless. */
final class MemberProbe {
  private MemberProbe() {}

  /** The member's answer, or "down" when it does not answer or does not host the group. */
  static GroupStatus.MemberStatus ask(RaftClient admin, Member m, List<Member> members) {
    RaftGroupId gid = admin.getGroupId();
    GroupInfoReply r;
    try {
      r = admin.getGroupManagementApi(m.peerId()).info(gid);
    } catch (IOException | RuntimeException e) {
      return GroupStatus.MemberStatus.down(m);
    }
    if (r == null || !r.isSuccess()) {
      return GroupStatus.MemberStatus.down(m);
    }
    RoleInfoProto role = r.getRoleInfoProto();
    String roleName = role.getRole().name().toLowerCase(Locale.ROOT);
    Member leader = null;
    long term = 0;
    if (role.hasLeaderInfo()) {
      leader = m;
      term = role.getLeaderInfo().getTerm();
    } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
      leader = byPeerId(members, role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8());
    }
    var log = r.getLogInfoProto();
    if (term == 0 && log.hasLastEntry()) {
      term = log.getLastEntry().getTerm();
    }
    long commit = log.hasCommitted() ? log.getCommitted().getIndex() : 0;
    long applied = log.hasApplied() ? log.getApplied().getIndex() : 0;
    return new GroupStatus.MemberStatus(m, true, roleName, leader, term, commit, applied);
  }

  static Member byPeerId(List<Member> members, String peerId) {
    for (Member m : members) {
      if (m.peerId().toString().equals(peerId)) {
        return m;
      }
    }
    return null;
  }
}
