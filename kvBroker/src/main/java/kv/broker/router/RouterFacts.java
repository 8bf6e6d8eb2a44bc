package kv.broker.router;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kv.resp.connection.ClientState;
import kv.resp.connection.CommandDoc;
import kv.resp.connection.ConnectionCommands;
import kv.resp.connection.KvCommandDocs;
import kv.resp.connection.ServerFacts;
import kv.resp.connection.TransactionRefusal;

/**
 * The router's answers to the connection commands' questions: its identity for HELLO, its
 * clients for CLIENT LIST and KILL, the commands it serves with their docs for COMMAND (so
 * redis-cli shows hints), its settings for CONFIG GET. Thread-safe.
 */
final class RouterFacts implements ServerFacts {
  /** The data commands of {@link KvCommandDocs#DATA} the router serves (kvServer may serve more). */
  static final Set<String> DATA = Set.of("get", "query", "put", "delete", "del", "exists", "dbsize", "keys", "scan",
      "type", "info", "setvalue", "append", "json.set", "json.get", "json.del", "json.forget", "json.arrappend",
      "json.type", "json.mget");
  private static final List<CommandDoc> OWN = List.of(
      CommandDoc.of("status", 1, "", "kv", "Returns the table of servers: address, up/down, since when, records."),
      CommandDoc.of("help", 1, "", "kv", "Returns the list of commands."));

  private final String version;
  private final RouterClients clients;
  private final List<CommandDoc> docs;

  RouterFacts(String version, RouterClients clients) {
    this.version = version;
    this.clients = clients;
    List<CommandDoc> all = new ArrayList<>(ConnectionCommands.docs());
    for (CommandDoc doc : KvCommandDocs.DATA) {
      if (DATA.contains(doc.name())) {
        all.add(doc);
      }
    }
    all.addAll(TransactionRefusal.DOCS);
    all.addAll(OWN);
    this.docs = List.copyOf(all);
  }

  @Override
  public String server() {
    return "kvBroker";
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public Collection<ClientState> clients() {
    return clients.clients();
  }

  @Override
  public List<CommandDoc> commands() {
    return docs;
  }

  @Override
  public Map<String, String> config() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("save", "");
    m.put("appendonly", "no");
    m.put("databases", "1");
    m.put("timeout", "0");
    return m;
  }
}
