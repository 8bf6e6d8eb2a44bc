package kv.resp.connection;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the connection commands need to know about the server they run in: its identity for
 * HELLO, its clients for CLIENT LIST and KILL, its commands for COMMAND, its settings for
 * CONFIG GET. Implementations are thread-safe.
 */
public interface ServerFacts {
  /** HELLO's {@code server} field, e.g. {@code kv}. */
  String server();

  /** HELLO's {@code version} field. */
  String version();

  /** The connected clients, in id order. */
  Collection<ClientState> clients();

  /** Every command the port answers, for COMMAND, COMMAND INFO and COMMAND DOCS. */
  List<CommandDoc> commands();

  /** CONFIG GET's parameters (lower-case names) and values, in the order to list them. */
  Map<String, String> config();
}
