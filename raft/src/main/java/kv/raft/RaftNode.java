package kv.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's Raft side: a Ratis server on one port hosting every group the server is a member
 * of, each with a {@link KvStateMachine} over a fresh {@link Applier} and its own log and
 * snapshots in a folder (named by the group id) under the storage directory. Groups found in
 * storage are loaded at start; {@link #join} adds the layout's groups this server does not host
 * yet. Thread-safe.
 */
public final class RaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

  private final RaftServer server;
  private final ClientId adminClient = ClientId.randomId();
  private final AtomicLong callId = new AtomicLong();

  private RaftNode(RaftServer server) {
    this.server = server;
  }

  /**
   * Starts a Ratis server named {@code id} on {@code host:port} (0: any free port), storing its
   * groups under {@code storage}, and loads the groups stored there.
   *
   * @throws IOException when the port cannot be bound or the storage cannot be used
   */
  public static RaftNode start(RaftPeerId id, String host, int port, Path storage, RaftTuning tuning,
      Supplier<Applier> appliers) throws IOException {
    return start(id, host, port, storage, tuning, appliers, null);
  }

  /**
   * As above, with mutual TLS on the Raft port when {@code tls} is not null: whoever connects
   * (a member, a client) must present a certificate {@code tls}'s CA signed, and this server
   * presents its certificate to the members it connects to.
   *
   * @throws IOException when the port cannot be bound or the storage cannot be used
   * @throws IllegalArgumentException when the TLS files cannot be used
   */
  public static RaftNode start(RaftPeerId id, String host, int port, Path storage, RaftTuning tuning,
      Supplier<Applier> appliers, RaftTls tls) throws IOException {
    RaftServer.Builder builder = RaftServer.newBuilder()
        .setServerId(id)
        .setProperties(tuning.serverProperties(host, port, storage))
        .setStateMachineRegistry(groupId -> new KvStateMachine(appliers.get()))
        .setOption(RaftStorage.StartupOption.RECOVER);
    if (tls != null) {
      builder.setParameters(tls.parameters());
    }
    RaftServer server = builder.build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(server);
      throw e;
    }
    return new RaftNode(server);
  }

  /** The port Raft traffic arrives on (the chosen one when started with port 0). */
  public int port() {
    return server.getServerRpc().getInetSocketAddress().getPort();
  }

  public RaftPeerId id() {
    return server.getId();
  }

  /** Adds every group of {@code layout} whose members include this server and that it does not host yet. */
  public void join(GroupLayout layout) throws IOException {
    Set<RaftGroupId> hosted = hostedGroups();
    for (int g = 0; g < layout.groupCount(); g++) {
      RaftGroupId gid = layout.groupId(g);
      boolean member = layout.members(g).stream().anyMatch(m -> m.peerId().equals(server.getId()));
      if (!member || hosted.contains(gid)) {
        continue;
      }
      RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(adminClient, server.getId(),
          callId.incrementAndGet(), layout.raftGroup(g), false));
      if (!reply.isSuccess()) {
        throw new IOException("cannot start group " + g + " (" + gid + "): " + reply.getException());
      }
      LOG.info("started group {} ({}) with members {}", g, gid, layout.members(g));
    }
  }

  /** The groups this server hosts now. */
  public Set<RaftGroupId> hostedGroups() {
    Set<RaftGroupId> ids = new HashSet<>();
    server.getGroupIds().forEach(ids::add);
    return ids;
  }

  /** This server's state machine of group {@code id}, or null when it does not host the group. */
  public KvStateMachine stateMachine(RaftGroupId id) {
    try {
      return (KvStateMachine) server.getDivision(id).getStateMachine();
    } catch (IOException e) {
      return null;
    }
  }

  /** This server's own view of group {@code id}, or null when it does not host the group. */
  public LocalStatus localStatus(RaftGroupId id) {
    RaftServer.Division d;
    try {
      d = server.getDivision(id);
    } catch (IOException e) {
      return null;
    }
    var info = d.getInfo();
    RaftPeerId leader = info.getLeaderId();
    List<String> followersHeard = new ArrayList<>();
    var role = info.getRoleInfoProto();
    if (role.hasLeaderInfo()) {
      for (var f : role.getLeaderInfo().getFollowerInfoList()) {
        followersHeard.add(f.getId().getId().toStringUtf8() + "=" + f.getLastRpcElapsedTimeMs());
      }
    }
    var snapshot = d.getStateMachine().getLatestSnapshot();
    long leaderSilenceMs = role.hasFollowerInfo() ? role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() : -1;
    return new LocalStatus(info.getCurrentRole().name().toLowerCase(java.util.Locale.ROOT),
        leader == null ? null : leader.toString(), info.getCurrentTerm(), d.getRaftLog().getLastCommittedIndex(),
        info.getLastAppliedIndex(), snapshot == null ? -1 : snapshot.getIndex(), d.getRaftLog().getStartIndex(),
        leaderSilenceMs, List.copyOf(followersHeard));
  }

  /**
   * One server's view of one group.
   *
   * @param role leader, follower, candidate or listener
   * @param snapshotIndex the log index of the newest snapshot of this member's state, or -1
   * @param logStartIndex the first index still in this member's log (older ones are in snapshots)
   * @param leader the leader's peer id as this server knows it, or null
   * @param leaderSilenceMs for a follower, milliseconds since it last heard from the leader; else -1
   * @param followersHeard for a leader, {@code peer=ms since its last reply} per follower
   */
  public record LocalStatus(String role, String leader, long term, long commitIndex, long lastApplied,
      long snapshotIndex, long logStartIndex, long leaderSilenceMs, List<String> followersHeard) {}

  /** Stops the Ratis server (each group takes a snapshot as it stops). Idempotent. */
  @Override
  public void close() {
    closeQuietly(server);
  }

  private static void closeQuietly(RaftServer server) {
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("stopping the Raft server {} failed: {}", server.getId(), e.toString());
    }
  }
}
