package kv.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.clock.HybridLogicalClock;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordParser;

/**
 * The broker's cluster core behind {@link KvService}: one {@link ServerNode} (connection and
 * failure detector) per server, and the {@link Cluster} replication rules over them. Owns the
 * network: {@link #close()} closes every connection. Thread-safe.
 */
final class ClusterService implements KvService {
  private final BrokerConfig config;
  private final List<ServerNode> nodes;
  private final Cluster cluster;
  private final RecordParser parser;
  private final AutoCloseable network;

  private ClusterService(BrokerConfig config, List<ServerNode> nodes, RecordParser parser, AutoCloseable network) {
    this.config = config;
    this.nodes = nodes;
    this.parser = parser;
    this.network = network;
    this.cluster = new Cluster(nodes, config.k(), new HybridLogicalClock(config.nodeId()), parser);
  }

  /**
   * Connects to every server over Netty and returns once each one's first connection attempt
   * has ended (UP or DOWN), so the first command sees the cluster as it is.
   */
  static ClusterService start(BrokerConfig config) {
    NettyConnector connector = new NettyConnector(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    return start(config, connector, connector.scheduler(), connector);
  }

  /** As {@link #start(BrokerConfig)} over any network; {@code network} is closed last by {@link #close()}. */
  static ClusterService start(BrokerConfig config, Connector connector, ScheduledExecutorService scheduler,
      AutoCloseable network) {
    List<ServerNode> nodes = new ArrayList<>();
    for (ServerAddress address : config.servers()) {
      nodes.add(new ServerNode(address, connector, scheduler, config));
    }
    ClusterService service = new ClusterService(config, List.copyOf(nodes), new RecordParser(), network);
    nodes.forEach(ServerNode::start);
    service.awaitFirstContact();
    return service;
  }

  private void awaitFirstContact() {
    CompletableFuture<?>[] first = nodes.stream().map(ServerNode::firstContact).toArray(CompletableFuture<?>[]::new);
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

  /** The replication rules, e.g. for {@link Indexer}. */
  Cluster cluster() {
    return cluster;
  }

  /** An indexer writing through this cluster with the configured in-flight window. */
  Indexer indexer() {
    return new Indexer(cluster, parser, config.maxInFlight());
  }

  /** The addresses of the key's k replicas, best first (for messages and tests). */
  List<String> replicasOf(String key) {
    List<String> names = new ArrayList<>();
    for (ServerLink link : cluster.replicas(key)) {
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
  public List<ServerStatus> status() {
    List<ServerStatus> rows = new ArrayList<>(nodes.size());
    for (ServerNode node : nodes) {
      rows.add(node.status());
    }
    return rows;
  }

  @Override
  public void close() {
    nodes.forEach(ServerNode::close);
    try {
      network.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the network failed: " + e.getMessage(), e);
    }
  }
}
