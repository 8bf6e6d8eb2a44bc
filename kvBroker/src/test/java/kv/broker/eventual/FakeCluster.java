package kv.broker.eventual;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.testing.Await;
import kv.broker.testing.FakeNetwork;
import kv.broker.testing.FakeServer;
import kv.broker.testing.ManualClock;
import kv.broker.testing.StatusValues;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.record.Record;
import kv.record.RecordParser;

/** A {@link EventualEngine} over a {@link FakeNetwork} of n {@link FakeServer}s with short timeouts. */
public final class FakeCluster implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofMillis(300);

  /** The time of the network's silences: only a test moves it. */
  public final ManualClock silence = new ManualClock();
  public final FakeNetwork network = new FakeNetwork(silence);
  public final List<ServerAddress> addresses = new ArrayList<>();
  public final EventualEngine service;
  private final BrokerConfig config;

  public FakeCluster(int n, int k) {
    this(n, k, BrokerConfig.DEFAULT_TOMBSTONE_GRACE);
  }

  /** As above, with tombstones every replica has purged {@code tombstoneGrace} after the delete. */
  public FakeCluster(int n, int k, Duration tombstoneGrace) {
    for (int i = 0; i < n; i++) {
      addresses.add(network.add(new FakeServer()));
    }
    config = BrokerConfig.of(addresses, "fake servers", k).with(c -> {
      c.nodeId = 1;
      c.timeout = TIMEOUT;
      c.heartbeatInterval = Duration.ofMillis(50);
      c.infoInterval = Duration.ofMillis(200);
      c.minBackoff = Duration.ofMillis(20);
      c.maxBackoff = Duration.ofMillis(200);
      c.maxInFlight = 64;
      c.tombstoneGrace = tombstoneGrace;
    });
    service = EventualEngine.start(config, network, network.scheduler(), () -> { });
    // Empty servers are resynced (from each other) before they are trusted: let that settle.
    addresses.forEach(this::awaitCaughtUp);
  }

  /**
   * Another broker over the same servers (as a second kvBroker process, or the next {@code -c}
   * run), with its own node id; the caller closes it.
   */
  public EventualEngine startBroker(int nodeId) {
    return EventualEngine.start(config.with(c -> c.nodeId = nodeId), network, network.scheduler(), () -> { });
  }

  public FakeServer server(ServerAddress address) {
    return network.server(address);
  }

  public List<ServerAddress> replicas(String key) {
    return new Placement(addresses, service.config().k()).replicas(key);
  }

  public ServerAddress nonReplica(String key) {
    List<ServerAddress> replicas = replicas(key);
    return addresses.stream().filter(a -> !replicas.contains(a)).findFirst().orElseThrow();
  }

  boolean isUp(ServerAddress address) {
    return service.status().servers().stream().filter(s -> s.address().equals(address.toString())).findFirst().orElseThrow().up();
  }

  public ServerStatus status(ServerAddress address) {
    return service.status().servers().stream().filter(s -> s.address().equals(address.toString())).findFirst().orElseThrow();
  }

  /** Waits until the server is UP and no longer catching up. */
  public void awaitCaughtUp(ServerAddress address) {
    Await.until(address + " caught up", () -> status(address).up() && !status(address).catchingUp());
  }

  public void crash(ServerAddress address) {
    network.refuse(address);
    Await.until(address + " marked DOWN", () -> !isUp(address));
  }

  public void recover(ServerAddress address) {
    network.heal(address);
    Await.until(address + " marked UP", () -> isUp(address));
  }

  public Outcome get(String key) throws Exception {
    return service.get(key).get(5, TimeUnit.SECONDS);
  }

  public Outcome put(String recordText) throws Exception {
    Record record = new RecordParser().parseRecord(recordText);
    return service.put(record).get(5, TimeUnit.SECONDS);
  }

  public Outcome delete(String key) throws Exception {
    return service.delete(key).get(5, TimeUnit.SECONDS);
  }

  /** A counter of the engine's catch-up section of the status (read_repairs, tombstones_purged, ...). */
  public long counter(String name) {
    return StatusValues.counter(service.status(), name);
  }

  @Override
  public void close() {
    service.close();
    network.close();
  }
}
