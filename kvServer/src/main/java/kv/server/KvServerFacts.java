package kv.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kv.resp.connection.ClientState;
import kv.resp.connection.CommandDoc;
import kv.resp.connection.ConnectionCommands;
import kv.resp.connection.KvCommandDocs;
import kv.resp.connection.ServerFacts;
import kv.resp.connection.TransactionRefusal;

/**
 * kvServer's answers to the connection commands' questions: identity, clients, the command table
 * with its docs (a command without a written doc gets one made from its usage line), and the
 * settings CONFIG GET reports under Redis's names. Thread-safe once the table is filled.
 */
final class KvServerFacts implements ServerFacts {
  private final ServerStats stats;
  private final ServerConfig config;
  private final CommandTable table;
  private volatile List<CommandDoc> docs;

  KvServerFacts(ServerStats stats, ServerConfig config, CommandTable table) {
    this.stats = stats;
    this.config = config;
    this.table = table;
  }

  @Override
  public String server() {
    return "kv";
  }

  @Override
  public String version() {
    return KvServer.VERSION;
  }

  @Override
  public Collection<ClientState> clients() {
    return stats.sessions().stream().map(Session::client).toList();
  }

  @Override
  public List<CommandDoc> commands() {
    List<CommandDoc> result = docs;
    if (result == null) {
      Map<String, CommandDoc> known = new LinkedHashMap<>();
      for (CommandDoc d : ConnectionCommands.docs()) {
        known.put(d.name(), d);
      }
      for (CommandDoc d : KvCommandDocs.DATA) {
        known.put(d.name(), d);
      }
      for (CommandDoc d : TransactionRefusal.DOCS) {
        known.put(d.name(), d);
      }
      result = new ArrayList<>();
      for (CommandTable.Spec spec : table.specs().values()) {
        String name = spec.name().toLowerCase(Locale.ROOT);
        CommandDoc doc = known.get(name);
        result.add(doc != null ? doc : CommandDoc.of(name, spec.maxArgs() == spec.minArgs() ? spec.minArgs() + 1
            : -(spec.minArgs() + 1), "", "kv-internal", spec.usage()));
      }
      result = List.copyOf(result);
      docs = result;
    }
    return result;
  }

  @Override
  public Map<String, String> config() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("save", "");
    m.put("appendonly", config.persistent() ? "yes" : "no");
    m.put("databases", "1");
    m.put("maxclients", Integer.toString(config.maxClients()));
    m.put("proto-max-bulk-len", Integer.toString(config.maxRequestBytes()));
    m.put("client-query-buffer-limit", Integer.toString(config.maxRequestBytes()));
    m.put("client-output-buffer-limit", "normal " + config.limits().maxReplyBytes() + " 0 0");
    m.put("timeout", Integer.toString(config.limits().idleTimeoutSeconds()));
    return m;
  }
}
