package kv.broker.engine;

import java.time.Instant;

/**
 * One row of {@code status}: a server's address, whether it is up, since when, how many live
 * records it reported, its instance id (changes at each restart), whether it is catching up, and
 * how many missed writes (hints) the broker holds for it (-1: too many, it will be resynced).
 */
public record ServerStatus(
    String address, boolean up, Instant since, long records, String instanceId, boolean catchingUp, long hints) {

  public ServerStatus(String address, boolean up, Instant since, long records, String instanceId, boolean catchingUp) {
    this(address, up, since, records, instanceId, catchingUp, 0);
  }

  public ServerStatus withHints(long value) {
    return new ServerStatus(address, up, since, records, instanceId, catchingUp, value);
  }
}
