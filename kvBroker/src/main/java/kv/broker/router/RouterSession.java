package kv.broker.router;

import java.util.ArrayList;
import java.util.List;
import kv.broker.command.TransactionStep;
import kv.resp.connection.ClientState;

/**
 * One router connection as its commands see it: the {@link ClientState} the connection commands
 * keep (protocol, name, reply mode, ...) and the transaction opened by MULTI, if any. Used on the
 * connection's event loop only (other threads read the ClientState).
 */
final class RouterSession {
  private final ClientState client;
  private Transaction transaction;

  /** The commands queued since MULTI, and the first error that dooms them (EXEC is then EXECABORT). */
  static final class Transaction {
    final List<TransactionStep> steps = new ArrayList<>();
    String failure;
  }

  RouterSession(ClientState client) {
    this.client = client;
  }

  ClientState client() {
    return client;
  }

  /** The open transaction, or null outside MULTI. */
  Transaction transaction() {
    return transaction;
  }

  void begin() {
    transaction = new Transaction();
  }

  /** Leaves MULTI (EXEC, DISCARD, RESET). */
  void end() {
    transaction = null;
  }
}
