package kv.server;

import kv.resp.connection.ServerFacts;
import kv.resp.connection.TransactionRefusal;
import kv.security.Access;

/**
 * Registers the connection commands shared by every RESP port ({@link
 * kv.resp.connection.ConnectionCommands}: PING, ECHO, QUIT, HELLO, AUTH, CLIENT, SELECT, RESET,
 * COMMAND, CONFIG) and the refusing MULTI/EXEC ({@link TransactionRefusal}) in kvServer's command
 * table. Thread-safe.
 */
final class ConnectionCommands {
  /**
   * MULTI/EXEC: a server runs each command on its own and cannot isolate a transaction, so none is
   * queued (CommandTable refuses what is sent inside MULTI).
   */
  static final TransactionRefusal TRANSACTIONS = new TransactionRefusal("MULTI is not supported by kvServer: it"
      + " runs each command on its own, so a transaction cannot be isolated and nothing was queued; send the commands"
      + " without MULTI/EXEC (redis-py: pipeline(transaction=False); a connection's commands keep their order)");

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
    for (String name : TransactionRefusal.NAMES) {
      table.forRole(Access.CLIENT).add(name, 0, CommandTable.MANY, name,
          (request, session) -> TRANSACTIONS.execute(request, session.client()));
    }
  }
}
