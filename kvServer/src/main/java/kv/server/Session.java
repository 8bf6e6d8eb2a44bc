package kv.server;

import kv.resp.connection.ClientState;

/**
 * One client connection as kvServer's commands see it: the shared {@link ClientState} (id,
 * address, name, protocol, reply mode, close after reply) under the names the handlers use.
 * Written only on the connection's event-loop thread; other threads may read it
 * ({@code CLIENT LIST}).
 */
final class Session {
  private final ClientState client;
  private ServerStats.Slot slot = ServerStats.Slot.CLIENT;

  Session(ClientState client) {
    this.client = client;
  }

  /** What the connection counts as (written on its event loop by {@link ServerStats}). */
  ServerStats.Slot slot() {
    return slot;
  }

  void slot(ServerStats.Slot slot) {
    this.slot = slot;
  }

  ClientState client() {
    return client;
  }

  long id() {
    return client.id();
  }

  /** {@code ip:port} of the client. */
  String remote() {
    return client.address();
  }

  String name() {
    return client.name();
  }

  void executed(String command) {
    client.beginCommand(command);
  }

  void requestClose() {
    client.requestClose();
  }

  boolean closeRequested() {
    return client.closeRequested();
  }

  /** A {@code CLIENT LIST} line. */
  String describe(long nowMillis) {
    return client.describe(nowMillis);
  }
}
