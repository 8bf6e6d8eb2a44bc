package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.resp.Request;
import kv.resp.Resp;
import kv.server.durable.DurableLog;

/**
 * Server commands: INFO (identity, records, memory, counters; in strong mode the Raft groups),
 * and as much of COMMAND and CONFIG GET as redis-cli and redis-benchmark ask for. Thread-safe.
 */
final class ServerCommands {
  private final Store store;
  private final ServerStats stats;
  private final CommandTable table;
  /** Null in eventual mode. */
  private final StrongBackend strong;

  ServerCommands(Store store, ServerStats stats, CommandTable table) {
    this(store, stats, table, null);
  }

  ServerCommands(Store store, ServerStats stats, CommandTable table, StrongBackend strong) {
    this.store = store;
    this.stats = stats;
    this.table = table;
    this.strong = strong;
  }

  void register(CommandTable table) {
    table.add("INFO", 0, CommandTable.MANY, "INFO [section]", (r, s) -> Replies.bulk(info()))
        .add("COMMAND", 0, CommandTable.MANY, "COMMAND [COUNT|DOCS|INFO]", this::command)
        .add("CONFIG", 2, CommandTable.MANY, "CONFIG GET parameter [parameter ...]", this::config);
  }

  String info() {
    long now = System.currentTimeMillis();
    Runtime rt = Runtime.getRuntime();
    return "# Server\r\n"
        + "kv_version:" + KvServer.VERSION + "\r\n"
        + "instance_id:" + stats.instanceId() + "\r\n"
        + "start_time_ms:" + stats.startMillis() + "\r\n"
        + "uptime_in_seconds:" + (now - stats.startMillis()) / 1000 + "\r\n"
        + "\r\n# Persistence\r\n"
        + persistence()
        + "\r\n# Clients\r\n"
        + "connected_clients:" + stats.connectedClients() + "\r\n"
        + "\r\n# Memory\r\n"
        + "used_memory:" + (rt.totalMemory() - rt.freeMemory()) + "\r\n"
        + "max_memory:" + rt.maxMemory() + "\r\n"
        + "\r\n# Stats\r\n"
        + "total_connections_received:" + stats.totalConnections() + "\r\n"
        + "rejected_connections:" + stats.rejectedConnections() + "\r\n"
        + "total_commands_processed:" + stats.totalCommands() + "\r\n"
        + "\r\n# Keyspace\r\n"
        + (strong == null
            ? "records:" + store.liveCount() + "\r\n" + "tombstones:" + store.tombstoneCount() + "\r\n"
            : "records:" + strong.localRecords() + "\r\n" + "\r\n# Raft\r\n" + strong.infoSection());
  }

  /*
   * persistence:on|off; when on, the data directory, the fsync policy, bytes of log since the
   * last snapshot, snapshot bytes, compactions since start, the last one's time (epoch ms, 0:
   * none yet) and whether the log still accepts writes (no after a write or fsync error).
   */
  private String persistence() {
    if (strong != null) {
      return "persistence:raft\r\n";
    }
    DurableLog log = store.durableLog();
    if (log == null) {
      return "persistence:off\r\n";
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
        + "log_writable:" + (s.writable() ? "yes" : "no") + "\r\n"
        + "replayed_entries:" + (replay.snapshotEntries() + replay.logEntries()) + "\r\n"
        + "replay_dropped_bytes:" + replay.droppedBytes() + "\r\n"
        + "replay_ms:" + replay.millis() + "\r\n";
  }

  /* redis-cli asks COMMAND DOCS for its hints; an empty answer makes it fall back quietly. */
  private Resp command(Request request, Session session) {
    if (request.size() > 1 && request.arg(1).equalsIgnoreCase("COUNT")) {
      return new Resp.Int(table.specs().size());
    }
    return new Resp.Array(List.of());
  }

  private Resp config(Request request, Session session) {
    if (!request.arg(1).equalsIgnoreCase("GET")) {
      throw new CommandException("CONFIG " + Replies.quote(request.arg(1))
          + " is not supported (expected: CONFIG GET parameter; configure kvServer with its command-line flags)");
    }
    List<Resp> pairs = new ArrayList<>();
    for (int i = 2; i < request.size(); i++) {
      String name = request.arg(i).toLowerCase(Locale.ROOT);
      String value = configValue(name, strong != null || store.durableLog() != null);
      if (value != null) {
        pairs.add(Replies.bulk(name));
        pairs.add(Replies.bulk(value));
      }
    }
    return new Resp.Array(pairs);
  }

  /* What redis-benchmark asks for: no RDB saves ("save" empty); appendonly tells whether writes are logged. */
  private static String configValue(String name, boolean persistent) {
    if (name.equals("save")) {
      return "";
    }
    if (name.equals("appendonly")) {
      return persistent ? "yes" : "no";
    }
    return null;
  }
}
