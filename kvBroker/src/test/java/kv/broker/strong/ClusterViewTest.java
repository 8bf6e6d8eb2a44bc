package kv.broker.strong;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kv.broker.command.StatusTable;
import kv.broker.engine.EngineStatus;
import kv.cluster.ServerAddress;
import kv.raft.ClientOptions;
import kv.raft.ClusterIdentity;
import kv.raft.GroupLayout;
import kv.raft.GroupStatus;
import kv.raft.Member;
import org.junit.jupiter.api.Test;

/** The status tables and INFO's Raft section from probes of every group, without a network. */
class ClusterViewTest {
  private final Member a = member(9001);
  private final Member b = member(9002);
  private final Member c = member(9003);
  private final GroupLayout layout = GroupLayout.of(new ClusterIdentity(2, 3, List.of(a, b, c)));
  private final MovingClock clock = new MovingClock();
  private final ClusterView view = new ClusterView(layout, ClientOptions.ReadMode.LINEARIZABLE, clock);

  /** A clock the test moves. */
  static final class MovingClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  static Member member(int port) {
    return new Member(new ServerAddress("127.0.0.1", port), port + 10_000);
  }

  /** Group g led by {@code leader} (null: none), the members in {@code down} not answering. */
  private GroupStatus group(int g, Member leader, long term, long commit, Member... down) {
    List<GroupStatus.MemberStatus> members = new ArrayList<>();
    for (Member m : layout.members(g)) {
      if (List.of(down).contains(m)) {
        members.add(new GroupStatus.MemberStatus(m, false, "down", null, 0, 0, 0));
      } else {
        members.add(new GroupStatus.MemberStatus(m, true, m.equals(leader) ? "leader" : leader == null ? "candidate"
            : "follower", leader, term, commit, commit));
      }
    }
    return new GroupStatus(g, members, leader, term, commit, commit);
  }

  @Test
  void statusShowsEachServersRolesAndEachGroupsLeaderTermIndexesAndMembersUp() {
    view.update(List.of(group(0, a, 3, 120), group(1, b, 2, 40)));
    clock.advance(Duration.ofSeconds(41));
    EngineStatus status = view.status();
    String table = StatusTable.format(status, clock.instant());
    assertThat(table).isEqualTo(String.join("\n",
        "SERVER          STATE  SINCE  ROLE      LEADER OF  FOLLOWER OF",
        "127.0.0.1:9001  UP     41s    leader    0          1",
        "127.0.0.1:9002  UP     41s    leader    1          0",
        "127.0.0.1:9003  UP     41s    follower  -          0,1",
        "3 servers: 3 up, 0 down",
        "GROUP  LEADER          TERM  COMMIT  APPLIED  MEMBERS UP  QUORUM",
        "0      127.0.0.1:9001  3     120     120      3 of 3      yes",
        "1      127.0.0.1:9002  2     40      40       3 of 3      yes",
        "2 Raft groups (k = 3), all with a quorum; reads: linearizable (ReadIndex at the group's leader)"));
    assertThat(status.up()).isEqualTo(3);
  }

  @Test
  void infoHasARaftSectionWithPySyncObjsNames() {
    view.update(List.of(group(0, a, 3, 120), group(1, b, 2, 40)));
    EngineStatus.Section raft = view.status().sections().get(0);
    assertThat(raft.title()).isEqualTo("Raft");
    assertThat(raft.values()).containsEntry("raft_groups", "2").containsEntry("raft_k", "3")
        .containsEntry("raft_read", "linearizable")
        .containsEntry("raft_server0", "address=127.0.0.1:9001,state=leader,groups_led=1,groups_followed=1")
        .containsEntry("raft_server2", "address=127.0.0.1:9003,state=follower,groups_led=0,groups_followed=2");
    assertThat(raft.values().get("group0")).startsWith("leader=127.0.0.1:9001,raft_term=3,commit_idx=120,last_applied=120,"
        + "has_quorum=1,members=3,members_up=3,partner_node_status_server_")
        .contains("partner_node_status_server_127.0.0.1:9003=2", "state_server_127.0.0.1:9001=leader");
  }

  @Test
  void aServerThatMissesTwoProbesIsDownAndItsGroupsShowTheNewLeaders() {
    view.update(List.of(group(0, a, 3, 120), group(1, a, 2, 40)));
    clock.advance(Duration.ofSeconds(10));
    view.update(List.of(group(0, null, 3, 120, a), group(1, null, 2, 40, a)));
    assertThat(view.status().servers().get(0).up()).as("one missed probe may be a busy machine").isTrue();
    clock.advance(Duration.ofSeconds(1));
    view.update(List.of(group(0, b, 4, 125, a), group(1, c, 3, 41, a)));
    clock.advance(Duration.ofSeconds(2));
    String table = StatusTable.format(view.status(), clock.instant());
    assertThat(table).contains(
        "127.0.0.1:9001  DOWN   2s     -       -          -",
        "127.0.0.1:9002  UP     13s    leader  0          1",
        "3 servers: 2 up, 1 down",
        "0      127.0.0.1:9002  4     125     125      2 of 3 (down: 127.0.0.1:9001)  yes",
        "1      127.0.0.1:9003  3     41      41       2 of 3 (down: 127.0.0.1:9001)  yes");
  }

  @Test
  void aGroupWithoutQuorumIsShownSoAndLocalReadsAreNamed() {
    ClusterView local = new ClusterView(layout, ClientOptions.ReadMode.LOCAL, clock);
    local.update(List.of(group(0, null, 3, 120, b, c), group(1, null, 2, 40, b, c)));
    String table = StatusTable.format(local.status(), clock.instant());
    assertThat(table).contains("0      none    3     120     120      1 of 3 (down: 127.0.0.1:9002, 127.0.0.1:9003)  NO",
        "2 Raft groups (k = 3), 2 without a quorum (their keys get NOQUORUM errors); reads: leader-local");
    assertThat(local.status().sections().get(0).values()).containsEntry("raft_read", "local");
    assertThat(local.status().sections().get(0).values().get("group0")).contains("has_quorum=0", "members_up=1");
  }

  @Test
  void beforeTheFirstProbeNothingIsClaimed() {
    String table = StatusTable.format(view.status(), clock.instant());
    assertThat(table).contains("127.0.0.1:9001  ?      -      -", "0      ?", "not probed yet");
  }
}
