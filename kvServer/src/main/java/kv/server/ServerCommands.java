package kv.server;

import kv.net.NettyTransport;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;
import kv.server.durable.DurableLog;
import kv.server.durable.EntryLog;

/**
 * INFO: identity, persistence, clients, memory, counters and keyspace, in strong mode the Raft
 * groups (a verbatim string in RESP3, as Redis sends it). COMMAND and CONFIG GET are among the shared connection commands.
 * Thread-safe.
 */
final class ServerCommands {
  private final Store store;
  private final ServerStats stats;
  private final HintCommands replication;
  /** Null in eventual mode. */
  private final StrongBackend strong;

  ServerCommands(Store store, ServerStats stats, HintCommands replication, StrongBackend strong) {
    this.store = store;
    this.stats = stats;
    this.replication = replication;
    this.strong = strong;
  }

  void register(CommandTable table) {
    table.add(ReplicaCommand.INFO.name(), 0, CommandTable.MANY, ReplicaCommand.INFO.usage(),
        (r, s) -> Resp.Verbatim.text(info()));
  }

  String info() {
    long now = System.currentTimeMillis();
    Runtime rt = Runtime.getRuntime();
    return "# Server\r\n"
        + "kv_version:" + KvServer.VERSION + "\r\n"
        + "instance_id:" + stats.instanceId() + "\r\n"
        + "start_time_ms:" + stats.startMillis() + "\r\n"
        + "uptime_in_seconds:" + (now - stats.startMillis()) / 1000 + "\r\n"
        + "multiplexing_api:" + NettyTransport.best().apiName() + "\r\n"
        + "\r\n# Persistence\r\n"
        + persistence()
        + "\r\n# Replication\r\n"
        + replication.info()
        + "\r\n# Clients\r\n"
        + "connected_clients:" + stats.connectedClients() + "\r\n"
        + "cluster_connections:" + stats.clusterConnections() + "\r\n"
        + "pending_request_bytes:" + stats.pendingRequestBytes() + "\r\n"
        + "unsent_reply_bytes:" + stats.unsentReplyBytes() + "\r\n"
        + "clients_closed_for_limits:" + stats.closedForLimits() + "\r\n"
        + "\r\n# Memory\r\n"
        + "used_memory:" + (rt.totalMemory() - rt.freeMemory()) + "\r\n"
        + "max_memory:" + rt.maxMemory() + "\r\n"
        + "\r\n# Stats\r\n"
        + "total_connections_received:" + stats.totalConnections() + "\r\n"
        + "rejected_connections:" + stats.rejectedConnections() + "\r\n"
        + "total_commands_processed:" + stats.totalCommands() + "\r\n"
        + "\r\n# Keyspace\r\n"
        + (strong == null
            ? "records:" + store.liveCount() + "\r\n"
                + "tombstones:" + store.tombstoneCount() + "\r\n"
                + "append_entries:" + store.appendCount() + "\r\n"
            : "records:" + strong.localRecords() + "\r\n" + "\r\n# Raft\r\n" + strong.infoSection());
  }

  /*
   * persistence:on|off|raft (strong mode: the groups' Raft logs); when on, the data directory, the fsync policy, bytes of log since the
   * last snapshot, snapshot bytes, compactions since start, the last one's time (epoch ms, 0:
   * none yet), whether the log accepts writes now (log_writable:1|0; 0 while the disk is full,
   * and for good after an fsync error) and, when it does not, why (log_error).
   */
  private String persistence() {
    if (strong != null) {
      return "persistence:raft\r\n"; // each group's Raft log and snapshots (# Raft below)
    }
    DurableLog log = store.durableLog();
    if (log == null) {
      EntryLog other = store.log(); // a simulated log (kv.server.LocalServer)
      if (other == null) {
        return "persistence:off\r\n";
      }
      String why = other.unwritable();
      return "persistence:on\r\nlog_writable:" + (why == null ? "1\r\n" : "0\r\nlog_error:" + why + "\r\n")
          + "replay_dropped_bytes:0\r\n";
    }
    DurableLog.Stats s = log.stats();
    var replay = log.replayStats();
    return "persistence:on\r\n"
        + "data_dir:" + log.shownDirectory() + "\r\n"
        + "fsync:" + log.config().fsync().cliName() + "\r\n"
        + "log_bytes:" + s.logBytes() + "\r\n"
        + "snapshot_bytes:" + s.snapshotBytes() + "\r\n"
        + "log_segment:" + s.segment() + "\r\n"
        + "compact_min_bytes:" + log.config().compactMinBytes() + "\r\n"
        + "compactions:" + s.compactions() + "\r\n"
        + "last_compaction_ms:" + s.lastCompactionMillis() + "\r\n"
        + "log_writable:" + (s.writable() ? 1 : 0) + "\r\n"
        + (s.writable() ? "" : "log_error:" + s.unwritable() + "\r\n")
        + "replayed_entries:" + (replay.snapshotEntries() + replay.logEntries()) + "\r\n"
        + "replay_dropped_bytes:" + replay.droppedBytes() + "\r\n"
        + "replay_ms:" + replay.millis() + "\r\n";
  }
}
