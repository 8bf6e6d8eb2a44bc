package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kv.cluster.ServerAddress;
import kv.cluster.ServerFile;
import kv.cluster.ServerLine;
import org.junit.jupiter.api.Test;

class GroupLayoutTest {
  static List<ServerLine> servers(int n) {
    List<ServerLine> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(new ServerLine(new ServerAddress("127.0.0.1", 9000 + i), 0));
    }
    return lines;
  }

  @Test
  void withAsManyServersAsKEveryServerIsAMemberOfEveryGroup() {
    GroupLayout layout = GroupLayout.of(servers(3), 3, 4);
    for (int g = 0; g < 4; g++) {
      assertThat(layout.members(g)).extracting(Member::toString)
          .containsExactlyInAnyOrder("127.0.0.1:9000", "127.0.0.1:9001", "127.0.0.1:9002");
    }
    assertThat(layout.groupsOf(new ServerAddress("127.0.0.1", 9001))).containsExactly(0, 1, 2, 3);
  }

  @Test
  void eachGroupHasKDistinctMembersChosenByRendezvousHashing() {
    GroupLayout layout = GroupLayout.of(servers(7), 3, 20);
    Set<Set<Member>> distinct = new HashSet<>();
    for (int g = 0; g < 20; g++) {
      List<Member> members = layout.members(g);
      assertThat(members).hasSize(3).doesNotHaveDuplicates();
      assertThat(members).extracting(Member::address)
          .isEqualTo(new kv.cluster.Placement(List.of(layout.servers().stream().map(Member::address)
              .toArray(ServerAddress[]::new)), 3).replicas("group-" + g));
      distinct.add(Set.copyOf(members));
    }
    assertThat(distinct.size()).isGreaterThan(5);
  }

  @Test
  void theSameServersInAnotherOrderGiveTheSameLayoutAndIds() throws Exception {
    List<ServerLine> a = servers(5);
    List<ServerLine> b = new ArrayList<>(a);
    Collections.reverse(b);
    GroupLayout x = GroupLayout.of(a, 3, 6);
    GroupLayout y = GroupLayout.of(b, 3, 6);
    for (int g = 0; g < 6; g++) {
      assertThat(y.members(g)).isEqualTo(x.members(g));
      assertThat(y.groupId(g)).isEqualTo(x.groupId(g));
      assertThat(x.groupNumber(x.groupId(g))).isEqualTo(g);
    }
    for (String key : List.of("person1", "", "ключ", "a.b c")) {
      assertThat(y.groupOf(key)).isEqualTo(x.groupOf(key));
    }
    // a different cluster (another G, another k, another server) has other group ids
    assertThat(GroupLayout.of(a, 3, 7).groupId(0)).isNotEqualTo(x.groupId(0));
    assertThat(GroupLayout.of(a, 2, 6).groupId(0)).isNotEqualTo(x.groupId(0));
    assertThat(GroupLayout.of(servers(6), 3, 6).groupId(0)).isNotEqualTo(x.groupId(0));
    assertThat(GroupLayout.of(ServerFile.parseLines("s", "127.0.0.1 9000 raft=1\n127.0.0.1 9001\n"), 1, 1).groupId(0))
        .isNotEqualTo(GroupLayout.of(ServerFile.parseLines("s", "127.0.0.1 9000\n127.0.0.1 9001\n"), 1, 1).groupId(0));
  }

  @Test
  void keysSpreadOverEveryGroup() {
    GroupLayout layout = GroupLayout.of(servers(3), 3, 4);
    int[] counts = new int[4];
    for (int i = 0; i < 4000; i++) {
      counts[layout.groupOf("person" + i)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(800, 1200);
    }
  }

  @Test
  void raftPortsDefaultToThePortPlus10000OrComeFromTheServerFile() throws Exception {
    GroupLayout layout = GroupLayout.of(ServerFile.parseLines("s", "127.0.0.1 9000\n127.0.0.1:9001 raft=29001\n"), 2, 0);
    assertThat(layout.servers()).extracting(Member::raftPort).containsExactly(19000, 29001);
    assertThat(layout.servers().get(0).peerId().toString()).isEqualTo("127.0.0.1_9000");
    assertThat(layout.servers().get(1).raftAddress()).isEqualTo("127.0.0.1:29001");
    assertThat(layout.groupCount()).isEqualTo(1);
  }

  @Test
  void defaultGroupsIsServersOverK() {
    assertThat(GroupLayout.defaultGroups(3, 3)).isEqualTo(1);
    assertThat(GroupLayout.defaultGroups(2, 3)).isEqualTo(1);
    assertThat(GroupLayout.defaultGroups(6, 3)).isEqualTo(2);
    assertThat(GroupLayout.defaultGroups(10, 2)).isEqualTo(5);
  }

  @Test
  void badValuesAreNamedWithWhatIsExpected() throws Exception {
    assertThatThrownBy(() -> GroupLayout.of(servers(3), 4, 1))
        .hasMessage("k: 4 (expected: 1..3, the number of servers)");
    assertThatThrownBy(() -> GroupLayout.of(servers(3), 3, 5000))
        .hasMessage("groups: 5000 (expected: 1..1024)");
    assertThatThrownBy(() -> GroupLayout.of(ServerFile.parseLines("s", "127.0.0.1 60000\n"), 1, 1))
        .hasMessage("raft port of 127.0.0.1:60000: 70000 (port + 10000) is past 65535 (expected: give it in the"
            + " server file, e.g. 127.0.0.1:60000 raft=50000)");
    assertThatThrownBy(() -> GroupLayout.of(ServerFile.parseLines("s", "127.0.0.1 9000 raft=9001\n127.0.0.1 9001\n"), 1, 1))
        .hasMessage("raft port of 127.0.0.1:9000: 9001 is also the RESP port of 127.0.0.1:9001"
            + " (expected: a port no other server on 127.0.0.1 uses)");
    assertThatThrownBy(() -> GroupLayout.of(ServerFile.parseLines("s", "127.0.0.1 9000 raft=7\n127.0.0.1 9001 raft=7\n"), 1, 1))
        .hasMessage("raft port of 127.0.0.1:9001: 7 is also the raft port of 127.0.0.1:9000"
            + " (expected: a port no other server on 127.0.0.1 uses)");
    // other hosts may use the same port numbers
    assertThat(GroupLayout.of(ServerFile.parseLines("s", "10.0.0.1 9000 raft=7\n10.0.0.2 9000 raft=7\n"), 1, 1)
        .servers()).hasSize(2);
  }
}
