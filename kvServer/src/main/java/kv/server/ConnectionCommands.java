package kv.server;

import kv.resp.connection.ServerFacts;

/**
 * Registers the connection commands shared by every RESP port ({@link
 * kv.resp.connection.ConnectionCommands}: PING, ECHO, QUIT, HELLO, AUTH, CLIENT, SELECT, RESET,
 * COMMAND, CONFIG) in kvServer's command table. Thread-safe.
 */
final class ConnectionCommands {
  private final kv.resp.connection.ConnectionCommands shared;

  ConnectionCommands(ServerFacts facts) {
    this.shared = new kv.resp.connection.ConnectionCommands(facts);
  }

  void register(CommandTable table) {
    for (String name : kv.resp.connection.ConnectionCommands.NAMES) {
      // the shared implementation checks arity, usage and access (CLIENT KILL needs more than CLIENT) itself
      table.forRole(kv.resp.connection.ConnectionCommands.access(name))
          .add(name, 0, CommandTable.MANY, name, (request, session) -> shared.execute(request, session.client()));
    }
  }
}
