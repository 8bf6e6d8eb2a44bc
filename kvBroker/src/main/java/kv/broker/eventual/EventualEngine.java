package kv.broker.eventual;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import kv.broker.catchup.CatchUp;
import kv.broker.catchup.TombstonePurger;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.health.OwedHints;
import kv.broker.health.WatchedServer;
import kv.broker.keyspace.KeyspaceWalk;
import kv.broker.transport.Connector;
import kv.broker.transport.Server;
import kv.broker.transport.netty.IoThreads;
import kv.broker.transport.netty.NettyConnector;
import kv.clock.HybridLogicalClock;
import kv.cluster.ServerAddress;
import kv.record.Limits;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.Value;

/**
 * The eventual engine (SPEC.md §6) behind {@link Engine}: one {@link WatchedServer} (connection
 * and failure detector) per server, the {@link Replication} rules over them, the catch-up of
 * servers that missed writes ({@code kv.broker.catchup}) and the cluster-wide key walk
 * ({@code kv.broker.keyspace}). {@link #close()} closes every connection; the I/O threads are the
 * caller's. Thread-safe.
 */
public final class EventualEngine implements Engine {
  static final int RESYNC_PAGE = 1000;
  private final BrokerConfig config;
  private final List<WatchedServer> servers;
  private final Replication replication;
  private final AutoCloseable network;
  private final CatchUp catchUp;
  private final OwedHints owed;
  private final ClockWatch clock;
  private final TombstonePurger purger;
  private final KeyspaceWalk keyspace;
  private final AppendWrite appends;

  private EventualEngine(BrokerConfig config, List<WatchedServer> servers, AutoCloseable network, OwedHints owed,
      CatchUp catchUp, TombstonePurger purger, ClockWatch clock) {
    this.config = config;
    this.servers = servers;
    this.network = network;
    this.catchUp = catchUp;
    this.owed = owed;
    this.purger = purger;
    this.clock = clock;
    this.replication = new Replication(servers, config.k(), clock, new RecordParser(), catchUp, purger);
    catchUp.bind(servers, replication.placement(), RESYNC_PAGE);
    purger.bind(servers);
    this.keyspace = new KeyspaceWalk(servers, replication.placement());
    this.appends = new AppendWrite(replication, new RecordParser(new Limits(Limits.MAX_DEPTH, Integer.MAX_VALUE)));
  }

  /**
   * Connects to every server over Netty on {@code io}'s threads and returns once each one's first
   * connection attempt has ended (UP or DOWN) and the catch-up this start triggered has run (or a
   * bound has passed), so the first command sees the cluster as it is.
   */
  public static EventualEngine start(BrokerConfig config, IoThreads io) {
    NettyConnector connector = new NettyConnector(io, System::nanoTime, config.serverLogin(),
        config.serverTls() == null ? null : config.serverTls().context());
    return start(config, connector, io.scheduler(), connector);
  }

  /** As {@link #start(BrokerConfig, IoThreads)} over any network; {@code network} is closed last by {@link #close()}. */
  static EventualEngine start(BrokerConfig config, Connector connector, ScheduledExecutorService scheduler,
      AutoCloseable network) {
    EventualEngine engine = open(config, connector, scheduler, network, System::currentTimeMillis, System::nanoTime);
    engine.awaitFirstContact();
    engine.awaitInitialCatchUp();
    return engine;
  }

  /**
   * Starts the engine without waiting for anything: every timer and callback runs on
   * {@code scheduler} and the network's threads, the clock reads {@code wallMillis} and the
   * failure detector {@code nanoTime}, so a test that drives all of them on one thread (the
   * deterministic simulation) replays exactly. {@link #ready()} says when a start would return.
   */
  static EventualEngine open(BrokerConfig config, Connector connector, ScheduledExecutorService scheduler,
      AutoCloseable network, LongSupplier wallMillis, LongSupplier nanoTime) {
    OwedHints owed = new OwedHints();
    CatchUp catchUp = new CatchUp(scheduler, owed);
    List<WatchedServer> servers = new ArrayList<>();
    for (ServerAddress address : config.servers()) {
      servers.add(new WatchedServer(address, connector, scheduler, config, catchUp, nanoTime, owed));
    }
    TombstonePurger purger = new TombstonePurger(config.tombstoneGrace(), scheduler, TombstonePurger.MAX_PENDING);
    ClockWatch clock = new ClockWatch(new HybridLogicalClock(config.nodeId(), wallMillis));
    EventualEngine engine = new EventualEngine(config, List.copyOf(servers), network, owed, catchUp, purger, clock);
    servers.forEach(WatchedServer::start);
    return engine;
  }

  /** Completes when every server's first contact has ended and then the catch-up it started is idle. */
  CompletableFuture<Void> ready() {
    CompletableFuture<?>[] first = servers.stream().map(WatchedServer::firstContact).toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(first).thenCompose(all -> {
      catchUp.retryPending();
      return catchUp.idle();
    });
  }

  /*
   * Servers that restarted, or that no broker has marked caught up since they started, are not
   * trusted for "not found" until the hints the others keep for them are replayed (and, if they
   * lost data, they are resynced). That takes a few round trips, so start waits for it (bounded)
   * and the first command sees trusted servers (or, when some server is down, servers trusted for
   * the keys they share with the others). A -c broker thus also finishes what it started.
   */
  private void awaitInitialCatchUp() {
    catchUp.retryPending();
    try {
      catchUp.idle().get(2 * config.timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Servers not caught up by then are trusted only for the keys they share with the others.
    }
  }

  private void awaitFirstContact() {
    CompletableFuture<?>[] first = servers.stream().map(WatchedServer::firstContact).toArray(CompletableFuture<?>[]::new);
    try {
      // A connect attempt and the INFO handshake each end within the timeout.
      CompletableFuture.allOf(first).get(2 * config.timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Servers that have not decided yet count as down until they answer; nothing to do here.
    }
  }

  BrokerConfig config() {
    return config;
  }

  /** Asks every UP server for INFO now and waits (bounded by the timeout) for the answers: fresh record counts. */
  @Override
  public void refreshStatus() {
    CompletableFuture<?>[] asked = servers.stream().map(WatchedServer::refreshInfo).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(asked).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Counts of servers that did not answer stay as they were.
    }
  }

  /** The addresses of the key's k replicas, best first. */
  @Override
  public List<String> replicasOf(String key) {
    List<String> names = new ArrayList<>();
    for (Server server : replication.replicas(key)) {
      names.add(server.address().toString());
    }
    return names;
  }

  @Override
  public CompletableFuture<Outcome> get(String key) {
    return replication.get(key);
  }

  @Override
  public CompletableFuture<Outcome> query(Path path) {
    return replication.query(path);
  }

  @Override
  public CompletableFuture<Outcome> delete(String key) {
    return replication.delete(key);
  }

  @Override
  public CompletableFuture<Outcome> put(String key, String setText) {
    return replication.put(key, setText);
  }

  /** A parsed record goes to the replicas packed, so they check it instead of parsing it again. */
  @Override
  public CompletableFuture<Outcome> put(Record record) {
    return replication.put(record.key(), record.value());
  }

  /** The key's replicas, their states and what each holds ({@link KeyLocator}). */
  @Override
  public CompletableFuture<Outcome> locate(String key) {
    return KeyLocator.locate(key, replication.replicas(key));
  }

  /** VPUT of any value at the key: a set packed, as {@link #put(Record)}, another value as its canonical text. */
  @Override
  public CompletableFuture<Outcome> putValue(String key, Value value) {
    return value instanceof SetValue set ? replication.put(key, set) : replication.put(key, RecordPrinter.print(value));
  }

  /** A type check by a read of the key, then VAPPEND to the live replicas ({@link AppendWrite}). */
  @Override
  public CompletableFuture<Outcome> append(Path path, Value element) {
    return appends.append(path, element);
  }

  @Override
  public CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
    return keyspace.page(prefix, after, count);
  }

  /**
   * One row per server (with the hints other servers are known to keep for it), and the catch-up's
   * counters: stale replicas repaired by reads, hints replayed and refused, records copied by
   * resyncs, tombstones purged and purges waiting for their grace period, versions ignored for
   * being too far ahead.
   */
  @Override
  public EngineStatus status() {
    List<ServerStatus> rows = new ArrayList<>(servers.size());
    for (WatchedServer server : servers) {
      rows.add(server.status().withHints(owed.count(server.address())));
    }
    Map<String, String> counters = new LinkedHashMap<>();
    counters.put("read_repairs", Long.toString(replication.repairs()));
    counters.put("hints_replayed", Long.toString(catchUp.replayed()));
    counters.put("resync_records_copied", Long.toString(catchUp.copied()));
    counters.put("tombstones_purged", Long.toString(purger.purged()));
    counters.put("tombstone_purges_pending", Integer.toString(purger.pending()));
    counters.put("hints_refused", Long.toString(catchUp.refused()));
    counters.put("versions_ignored", Long.toString(clock.ignored()));
    return new EngineStatus(rows, List.of(new EngineStatus.Section("Catch-up", counters)));
  }

  @Override
  public void close() {
    purger.close();
    catchUp.close();
    servers.forEach(WatchedServer::close);
    try {
      network.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the network failed: " + e.getMessage(), e);
    }
  }
}
