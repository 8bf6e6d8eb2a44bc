package kv.broker.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import kv.cluster.ServerAddress;

/**
 * Everything the engine and its transport need: the servers (in server-file order) and the name of the
 * file they came from (for messages), the replication factor k, the node id of this broker's
 * hybrid logical clock, the timeout (of connecting, and of silence: a server that owes replies
 * and sends nothing at all for that long is DOWN), the heartbeat and INFO-refresh intervals, the reconnect
 * backoff range, the indexer's window of records in flight, how long a tombstone every
 * replica has is kept before it is purged (zero: forever), how the broker authenticates to
 * the servers (null: it does not) and whether it speaks TLS to them (null: plain TCP). Immutable;
 * validated on creation.
 */
public record BrokerConfig(
    List<ServerAddress> servers,
    String serverFile,
    int k,
    int nodeId,
    Duration timeout,
    Duration heartbeatInterval,
    Duration infoInterval,
    Duration minBackoff,
    Duration maxBackoff,
    int maxInFlight,
    Duration tombstoneGrace,
    ServerLogin serverLogin,
    ServerTls serverTls) {

  static final int MAX_NODE_ID = 255;
  public static final Duration DEFAULT_TOMBSTONE_GRACE = Duration.ofHours(1);

  public BrokerConfig {
    Objects.requireNonNull(serverFile, "serverFile");
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("servers: none (expected: at least one server in " + serverFile + ")");
    }
    if (new HashSet<>(servers).size() != servers.size()) {
      throw new IllegalArgumentException("servers: " + servers + " (expected: each server once)");
    }
    if (k < 1 || k > servers.size()) {
      throw new IllegalArgumentException("-k: " + k + " (expected: 1.." + servers.size()
          + ", the number of servers in " + serverFile + ")");
    }
    if (nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new IllegalArgumentException("node id: " + nodeId + " (expected: 0.." + MAX_NODE_ID + ")");
    }
    positive("timeout", timeout);
    positive("heartbeat interval", heartbeatInterval);
    positive("INFO interval", infoInterval);
    positive("minimum backoff", minBackoff);
    positive("maximum backoff", maxBackoff);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("maximum backoff: " + maxBackoff.toMillis()
          + " ms (expected: >= the minimum backoff, " + minBackoff.toMillis() + " ms)");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max in flight: " + maxInFlight + " (expected: >= 1)");
    }
    Objects.requireNonNull(tombstoneGrace, "tombstone grace");
    if (tombstoneGrace.isNegative()) {
      throw new IllegalArgumentException("tombstone grace: " + tombstoneGrace.toMillis() + " ms (expected: >= 0, 0 for off)");
    }
  }

  /**
   * The defaults: a random node id, 1.5 s timeout, heartbeat every 500 ms, INFO every 5 s,
   * reconnect backoff 100 ms doubling up to 2 s, 512 records in flight while indexing,
   * tombstones purged {@link #DEFAULT_TOMBSTONE_GRACE} after every replica has the delete.
   */
  public static BrokerConfig of(List<ServerAddress> servers, String serverFile, int k) {
    return new BrokerConfig(servers, serverFile, k, ThreadLocalRandom.current().nextInt(MAX_NODE_ID + 1),
        Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofSeconds(5),
        Duration.ofMillis(100), Duration.ofSeconds(2), 512, DEFAULT_TOMBSTONE_GRACE, null, null);
  }

  /**
   * A copy with some values changed, e.g. {@code config.with(c -> c.timeout = Duration.ofSeconds(3))},
   * validated as any configuration is.
   */
  public BrokerConfig with(Consumer<Builder> change) {
    Builder values = new Builder(this);
    change.accept(values);
    return values.build();
  }

  /** The values of a configuration being changed by {@link #with}. Not thread-safe. */
  public static final class Builder {
    private final List<ServerAddress> servers;
    private final String serverFile;
    private final int k;
    public int nodeId;
    public Duration timeout;
    public Duration heartbeatInterval;
    public Duration infoInterval;
    public Duration minBackoff;
    public Duration maxBackoff;
    public int maxInFlight;
    /** Tombstones every replica has are purged this long after the delete; zero: never. */
    public Duration tombstoneGrace;
    /** How to AUTH to the servers; null: no AUTH. */
    public ServerLogin serverLogin;
    /** TLS to the servers; null: plain TCP. */
    public ServerTls serverTls;

    private Builder(BrokerConfig c) {
      servers = c.servers;
      serverFile = c.serverFile;
      k = c.k;
      nodeId = c.nodeId;
      timeout = c.timeout;
      heartbeatInterval = c.heartbeatInterval;
      infoInterval = c.infoInterval;
      minBackoff = c.minBackoff;
      maxBackoff = c.maxBackoff;
      maxInFlight = c.maxInFlight;
      tombstoneGrace = c.tombstoneGrace;
      serverLogin = c.serverLogin;
      serverTls = c.serverTls;
    }

    private BrokerConfig build() {
      return new BrokerConfig(servers, serverFile, k, nodeId, timeout, heartbeatInterval, infoInterval,
          minBackoff, maxBackoff, maxInFlight, tombstoneGrace, serverLogin, serverTls);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value.toMillis() + " ms (expected: > 0)");
    }
  }
}
