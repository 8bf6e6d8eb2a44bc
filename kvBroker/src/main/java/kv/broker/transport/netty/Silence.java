package kv.broker.transport.netty;

/**
 * The failure detector's measure of one connection: how long the server has owed a reply without
 * sending a single byte (any byte is a sign of life, not only a whole reply), counted only up to
 * the previous {@link #check}, since which the reading thread has read the socket, so a broker too
 * busy to read does not blame the server. Not thread-safe: confined to the connection's event loop.
 */
final class Silence {
  /** When the oldest reply still owed was asked for, if nothing was owed before it. */
  private long owedSince;
  private long lastRead;
  private long lastCheck;

  Silence(long now) {
    this.owedSince = now;
    this.lastRead = now;
    this.lastCheck = now;
  }

  /** A request went out while no reply was owed: the server owes one from {@code now}. */
  void owing(long now) {
    owedSince = now;
  }

  /** Bytes came from the server. */
  void heard(long now) {
    lastRead = now;
  }

  /**
   * How long the server has been silent while owing a reply, as far as it is proven at
   * {@code now}: 0 when nothing is owed. Call it periodically from the reading thread, from a task
   * that runs between its reads (each call must come after the thread has read what the socket
   * held when the previous call ended).
   */
  long check(long now, boolean owed) {
    long silent = owed ? Math.max(0, lastCheck - Math.max(owedSince, lastRead)) : 0;
    lastCheck = now;
    return silent;
  }
}
