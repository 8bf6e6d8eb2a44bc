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

/**
 * The router's answers to the connection commands' questions: its identity for HELLO, its
 * clients for CLIENT LIST and KILL, the commands it serves with their docs for COMMAND (so
 * redis-cli shows hints), its settings for CONFIG GET. Thread-safe.
 */
final class RouterFacts implements ServerFacts {
  /** The data commands of {@link KvCommandDocs#DATA} the router serves (kvServer may serve more). */
  static final Set<String> DATA = Set.of("get", "query", "put", "delete", "del", "exists", "dbsize", "keys", "scan",
      "type", "info");
  private static final List<CommandDoc> OWN = List.of(
      CommandDoc.of("status", 1, "", "kv", "Returns the table of servers: address, up/down, since when, records."),
      CommandDoc.of("help", 1, "", "kv", "Returns the list of commands."),
      CommandDoc.of("multi", 1, "fast", "transactions",
          "Starts a transaction; refused in eventual mode (use a pipeline without MULTI: a connection's commands keep"
              + " their order)."),
      CommandDoc.of("exec", 1, "", "transactions", "Runs the commands queued since MULTI as one atomic step."),
      CommandDoc.of("discard", 1, "fast", "transactions", "Drops the commands queued since MULTI."),
      CommandDoc.of("watch", -2, "fast", "transactions", "Not supported: KV has no optimistic locking.",
          CommandDoc.Arg.key("key").multiple()),
      CommandDoc.of("unwatch", 1, "fast", "transactions", "Does nothing (no key is ever watched): OK."));

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
