package kv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.cluster.ServerLine;
import kv.cluster.XxHash64;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;

/**
 * Which Raft group holds a key and which servers are its members (SPEC.md §8): G groups, a key's
 * group is XXH64(key's UTF-8) mod G, and group g's k members are the servers rendezvous hashing
 * ({@link Placement}) picks for the name {@code group-g}. With as many servers as k every server
 * is a member of every group. Group ids are derived from the {@link ClusterIdentity}, so every
 * process computes the same ones. Immutable and thread-safe.
 */
public final class GroupLayout {
  /** A server's Raft port when its line in the server file names none: its RESP port plus this. */
  public static final int RAFT_PORT_OFFSET = 10_000;
  /** Most groups a cluster may have (each costs threads and memory on every member). */
  public static final int MAX_GROUPS = 1024;

  private final ClusterIdentity identity;
  private final List<List<Member>> members;
  private final RaftGroupId[] ids;
  private final Map<RaftGroupId, Integer> numbers = new HashMap<>();

  private GroupLayout(ClusterIdentity identity) {
    this.identity = identity;
    Placement placement = new Placement(addresses(identity.servers()), identity.k());
    Map<ServerAddress, Member> byAddress = new HashMap<>();
    for (Member m : identity.servers()) {
      byAddress.put(m.address(), m);
    }
    int groups = identity.groups();
    List<List<Member>> all = new ArrayList<>(groups);
    ids = new RaftGroupId[groups];
    for (int g = 0; g < groups; g++) {
      List<Member> group = new ArrayList<>(identity.k());
      for (ServerAddress a : placement.replicas(groupName(g))) {
        group.add(byAddress.get(a));
      }
      all.add(List.copyOf(group));
      ids[g] = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
          ("kv strong " + identity.digest() + " group " + g).getBytes(StandardCharsets.UTF_8)));
      numbers.put(ids[g], g);
    }
    this.members = List.copyOf(all);
  }

  /** The layout of {@code identity}. */
  public static GroupLayout of(ClusterIdentity identity) {
    return new GroupLayout(identity);
  }

  /**
   * The layout of the servers of a server file with {@code k} members per group and
   * {@code groups} groups (0: {@link #defaultGroups}).
   *
   * @throws IllegalArgumentException naming the value and what is expected: k out of range,
   *     groups out of range, a default Raft port past 65535, or two servers sharing a port
   */
  public static GroupLayout of(List<ServerLine> servers, int k, int groups) {
    return new GroupLayout(ClusterIdentity.of(servers, k, groups == 0 ? defaultGroups(servers.size(), k) : groups));
  }

  /**
   * The default number of groups: n / k (at least 1), so each server is a member of about one
   * group. Every group costs each of its members about 8 threads and a share of a core even when
   * idle, and on small machines many groups lead to spurious elections (see ARCHITECTURE.md).
   */
  public static int defaultGroups(int servers, int k) {
    return Math.max(1, servers / Math.max(1, k));
  }

  /** The placement name of group {@code g}. */
  public static String groupName(int g) {
    return "group-" + g;
  }

  public ClusterIdentity identity() {
    return identity;
  }

  public int groupCount() {
    return ids.length;
  }

  public int k() {
    return identity.k();
  }

  /** Every server, in the server file's order. */
  public List<Member> servers() {
    return identity.servers();
  }

  /** The group that holds {@code key}. */
  public int groupOf(String key) {
    long h = XxHash64.hash(key.getBytes(StandardCharsets.UTF_8), 0);
    return (int) Long.remainderUnsigned(h, ids.length);
  }

  /** Group {@code g}'s members, best placement score first. */
  public List<Member> members(int g) {
    return members.get(g);
  }

  public RaftGroupId groupId(int g) {
    return ids[g];
  }

  /** The number of the group with id {@code id}, or -1 when it is not one of this layout's. */
  public int groupNumber(RaftGroupId id) {
    return numbers.getOrDefault(id, -1);
  }

  /** Group {@code g} as Ratis sees it: its id and its members' peer ids and Raft addresses. */
  public RaftGroup raftGroup(int g) {
    List<RaftPeer> peers = new ArrayList<>();
    for (Member m : members(g)) {
      peers.add(m.peer());
    }
    return RaftGroup.valueOf(ids[g], peers);
  }

  /** The groups {@code server} is a member of, ascending. */
  public List<Integer> groupsOf(ServerAddress server) {
    List<Integer> result = new ArrayList<>();
    for (int g = 0; g < ids.length; g++) {
      for (Member m : members(g)) {
        if (m.address().equals(server)) {
          result.add(g);
        }
      }
    }
    return result;
  }

  /** The member with RESP address {@code server}, or null when the server file does not list it. */
  public Member member(ServerAddress server) {
    for (Member m : identity.servers()) {
      if (m.address().equals(server)) {
        return m;
      }
    }
    return null;
  }

  private static List<ServerAddress> addresses(List<Member> members) {
    List<ServerAddress> result = new ArrayList<>(members.size());
    for (Member m : members) {
      result.add(m.address());
    }
    return result;
  }
}
