package kv.broker.health;

import kv.cluster.ServerAddress;

/**
 * What a {@link WatchedServer} tells the catch-up logic: the server is UP (the first time, again
 * after a reconnect with the same instance id, or after a restart with a new one), and every INFO
 * it answers later. Implementations are thread-safe.
 */
public interface ServerEvents {
  enum Kind { FIRST, RECONNECT, RESTART }

  /** Ignores every event: nothing to catch up (e.g. a server tested alone). */
  ServerEvents NONE = new ServerEvents() {
    @Override
    public boolean mustCatchUp(ServerAddress server, Kind kind, InfoReply info) {
      return false;
    }

    @Override
    public void up(WatchedServer server, Kind kind, int epoch) {}
  };

  /**
   * Called under the server's lock just before it is UP: whether it must not be trusted for
   * "not found" until caught up. Must be quick and must not call the server.
   */
  boolean mustCatchUp(ServerAddress server, Kind kind, InfoReply info);

  /** Called once the server is UP (outside its lock), with the epoch that identifies this UP period. */
  void up(WatchedServer server, Kind kind, int epoch);

  /** Called (outside the server's lock) with every INFO the server answers while UP, the handshake's included. */
  default void info(WatchedServer server, InfoReply info) {}
}
