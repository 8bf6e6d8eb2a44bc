package kv.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * Server commands: INFO (identity, records, memory, counters), and as much of COMMAND and
 * CONFIG GET as redis-cli and redis-benchmark ask for. Thread-safe.
 */
final class ServerCommands {
  private final Store store;
  private final ServerStats stats;
  private final CommandTable table;

  ServerCommands(Store store, ServerStats stats, CommandTable table) {
    this.store = store;
    this.stats = stats;
    this.table = table;
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
        + "persistence:none\r\n"
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
        + "records:" + store.liveCount() + "\r\n"
        + "tombstones:" + store.tombstoneCount() + "\r\n";
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
      String value = configValue(name);
      if (value != null) {
        pairs.add(Replies.bulk(name));
        pairs.add(Replies.bulk(value));
      }
    }
    return new Resp.Array(pairs);
  }

  /* What redis-benchmark asks for; nothing is saved, so "save" is empty and appendonly "no". */
  private static String configValue(String name) {
    if (name.equals("save")) {
      return "";
    }
    if (name.equals("appendonly")) {
      return "no";
    }
    return null;
  }
}
