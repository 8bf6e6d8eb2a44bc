package kv.broker.eventual;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.broker.catchup.CatchUp;
import kv.broker.catchup.HintStore;
import kv.broker.catchup.TombstonePurger;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Engine;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.index.IndexProgress;
import kv.broker.index.IndexSummary;
import kv.broker.index.Indexer;
import kv.broker.keyspace.KeyspaceWalk;
import kv.broker.transport.Connector;
import kv.broker.transport.NettyConnector;
import kv.broker.transport.Server;
import kv.broker.transport.WatchedServer;
import kv.clock.HybridLogicalClock;
import kv.cluster.ServerAddress;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordParser;


/**
 * The broker's cluster core behind {@link Engine}: one {@link WatchedServer} (connection and
 * failure detector) per server, and the {@link Replication} replication rules over them. Owns the
 * network: {@link #close()} closes every connection. Thread-safe.
 */
public final class EventualEngine implements Engine {
  /** Hints kept per server before it is marked for a full resync instead. */
  public static final int MAX_HINTS = 100_000;
  static final long MAX_HINT_CHARS = 32L << 20;
  static final int RESYNC_PAGE = 1000;
  private final BrokerConfig config;
  private final List<WatchedServer> nodes;
  private final Replication cluster;
  private final RecordParser parser;
  private final AutoCloseable network;
  private final CatchUp catchUp;
  private final HintStore hints;
  private final TombstonePurger purger;
  private final KeyspaceWalk keyspace;

  private EventualEngine(BrokerConfig config, List<WatchedServer> nodes, RecordParser parser, AutoCloseable network,
      HintStore hints, CatchUp catchUp, TombstonePurger purger) {
    this.config = config;
    this.nodes = nodes;
    this.parser = parser;
    this.network = network;
    this.catchUp = catchUp;
    this.hints = hints;
    this.purger = purger;
    this.cluster = new Replication(nodes, config.k(), new HybridLogicalClock(config.nodeId()), parser, hints,
        catchUp::hinted, purger);
    catchUp.bind(nodes, cluster.placement(), RESYNC_PAGE);
    this.keyspace = new KeyspaceWalk(nodes, cluster.placement());
  }

  /**
   * Connects to every server over Netty and returns once each one's first connection attempt
   * has ended (UP or DOWN), so the first command sees the cluster as it is.
   */
  public static EventualEngine start(BrokerConfig config) {
    NettyConnector connector = new NettyConnector(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    return start(config, connector, connector.scheduler(), connector);
  }

  /** As {@link #start(BrokerConfig)} over any network; {@code network} is closed last by {@link #close()}. */
  public static EventualEngine start(BrokerConfig config, Connector connector, ScheduledExecutorService scheduler,
      AutoCloseable network) {
    return start(config, connector, scheduler, network, new HintStore(MAX_HINTS, MAX_HINT_CHARS));
  }

  /** As above with the given hint store (its bounds decide when a full resync replaces hints). */
  public static EventualEngine start(BrokerConfig config, Connector connector, ScheduledExecutorService scheduler,
      AutoCloseable network, HintStore hints) {
    CatchUp catchUp = new CatchUp(hints, scheduler, Math.max(config.timeout().toMillis() * 4, 5000));
    List<WatchedServer> nodes = new ArrayList<>();
    for (ServerAddress address : config.servers()) {
      nodes.add(new WatchedServer(address, connector, scheduler, config, catchUp));
    }
    TombstonePurger purger = new TombstonePurger(config.tombstoneGrace(), scheduler, hints, TombstonePurger.MAX_PENDING);
    EventualEngine service = new EventualEngine(config, List.copyOf(nodes), new RecordParser(), network, hints, catchUp,
        purger);
    nodes.forEach(WatchedServer::start);
    service.awaitFirstContact();
    service.awaitInitialCatchUp();
    return service;
  }

  /*
   * Servers that are empty when the broker first sees them are not trusted for "not found" until
   * resynced from the others (they may have been wiped). In a new, empty cluster that takes a
   * few round trips, so start waits for it (bounded) and the first command sees trusted servers
   * (or, when some server is down, servers trusted for the keys they share with the others).
   */
  private void awaitInitialCatchUp() {
    catchUp.retryPending();
    long deadline = System.nanoTime() + 2 * config.timeout().toNanos() + 500_000_000L;
    while (System.nanoTime() < deadline && nodes.stream().anyMatch(n -> n.isUp() && !n.comparedOnce())) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void awaitFirstContact() {
    CompletableFuture<?>[] first = nodes.stream().map(WatchedServer::firstContact).toArray(CompletableFuture<?>[]::new);
    try {
      // A connect attempt and the INFO handshake each end within the timeout.
      CompletableFuture.allOf(first).get(2 * config.timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Nodes that have not decided yet count as down until they answer; nothing to do here.
    }
  }

  BrokerConfig config() {
    return config;
  }

  /** The event loops of the server connections when over Netty (the router serves on them), else null. */
  public EventLoopGroup eventLoops() {
    return network instanceof NettyConnector netty ? netty.eventLoops() : null;
  }

  /** The replication rules, e.g. for {@link Indexer}. */
  public Replication cluster() {
    return cluster;
  }

  /** An indexer writing through this cluster with the configured in-flight window. */
  public Indexer indexer() {
    return new Indexer(cluster, parser, config.maxInFlight());
  }

  /** Indexes a file, then refreshes the servers' record counts so {@code status} shows them at once. */
  public IndexSummary index(java.nio.file.Path file, IndexProgress progress) throws java.io.IOException, InterruptedException {
    try {
      return indexer().index(file, progress);
    } finally {
      refreshRecords();
    }
  }

  /** Asks every UP server for INFO now and waits (bounded by the timeout) for the answers. */
  public void refreshRecords() {
    CompletableFuture<?>[] asked = nodes.stream().map(WatchedServer::refreshInfo).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(asked).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Counts of servers that did not answer stay as they were.
    }
  }

  /** What the catch-up has done so far: stale replicas repaired by reads, hints replayed, records copied by resyncs. */
  public record SyncCounters(long readRepairs, long hintsReplayed, long recordsCopied) {}

  public SyncCounters syncCounters() {
    return new SyncCounters(cluster.repairs(), catchUp.replayed(), catchUp.copied());
  }

  /** Tombstones removed from replicas by VPURGE so far, and purges waiting for their grace period. */
  public record PurgeCounters(long purged, int pending) {}

  public PurgeCounters purgeCounters() {
    return new PurgeCounters(purger.purged(), purger.pending());
  }

  @Override
  public Map<String, Long> syncInfo() {
    SyncCounters counters = syncCounters();
    Map<String, Long> info = new LinkedHashMap<>();
    info.put("read_repairs", counters.readRepairs());
    info.put("hints_replayed", counters.hintsReplayed());
    info.put("resync_records_copied", counters.recordsCopied());
    info.put("tombstones_purged", purger.purged());
    info.put("tombstone_purges_pending", (long) purger.pending());
    return info;
  }

  /** The addresses of the key's k replicas, best first (for messages and tests). */
  public List<String> replicasOf(String key) {
    List<String> names = new ArrayList<>();
    for (Server link : cluster.replicas(key)) {
      names.add(link.address().toString());
    }
    return names;
  }

  @Override
  public CompletableFuture<Outcome> get(String key) {
    return cluster.get(key);
  }

  @Override
  public CompletableFuture<Outcome> query(Path path) {
    return cluster.query(path);
  }

  @Override
  public CompletableFuture<Outcome> delete(String key) {
    return cluster.delete(key);
  }

  @Override
  public CompletableFuture<Outcome> put(Record record) {
    return cluster.put(record);
  }

  @Override
  public CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
    return keyspace.page(prefix, after, count);
  }

  @Override
  public List<ServerStatus> status() {
    List<ServerStatus> rows = new ArrayList<>(nodes.size());
    for (WatchedServer node : nodes) {
      rows.add(node.status().withHints(hints.held(node.address())));
    }
    return rows;
  }

  @Override
  public void close() {
    purger.close();
    catchUp.close();
    nodes.forEach(WatchedServer::close);
    try {
      network.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the network failed: " + e.getMessage(), e);
    }
  }
}
