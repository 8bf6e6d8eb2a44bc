package kv.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.clock.HybridLogicalClock;
import kv.net.NettyTransport;
import kv.record.Limits;
import kv.record.RecordParser;
import kv.security.Access;
import kv.security.AuthThrottle;
import kv.security.TlsContexts;
import kv.security.Users;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running kvServer: a store of records served over RESP2 on one TCP port (see the README's
 * protocol section), kept in memory and, unless configured in-memory, logged to a data directory
 * and replayed at start. {@link #start} replays, binds and returns; {@link #close} stops it. Each
 * start has a new random instance id. Thread-safe.
 */
public final class KvServer implements AutoCloseable {
  /** The version INFO and HELLO report. */
  public static final String VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final ChannelGroup clients;
  private final InetSocketAddress bound;
  private final String instanceId;
  private final Persistence persistence;
  /** Strong mode's Raft side, closed with the server; null in eventual mode. */
  private final StrongBackend strong;
  private final ServerMetrics metrics;
  /** Passwords and TLS files, which the metrics port uses too. */
  private final SecurityConfig security;
  /** The metrics port once {@link #serveMetrics} opened it. */
  private MetricsEndpoint metricsEndpoint;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private KvServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel,
      ChannelGroup clients, String instanceId, Persistence persistence, StrongBackend strong, ServerMetrics metrics,
      SecurityConfig security) {
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = serverChannel;
    this.clients = clients;
    this.bound = (InetSocketAddress) serverChannel.localAddress();
    this.instanceId = instanceId;
    this.persistence = persistence;
    this.strong = strong;
    this.metrics = metrics;
    this.security = security;
  }

  /**
   * Replays the data directory (when {@code config.persistent()}), binds
   * {@code config.address():config.port()} and starts serving.
   *
   * @throws UncheckedIOException when the data directory cannot be used (locked by another
   *     server, damaged, not writable: the cause's message says which, in one line) or the address
   *     cannot be bound; the message then reads
   *     {@code cannot listen on 127.0.0.1:9000: address already in use}
   * @throws IllegalArgumentException when the configuration cannot be used: no password on an
   *     address other than loopback (protected mode), TLS files that cannot be read; the message
   *     is one line
   */
  public static KvServer start(ServerConfig config) {
    return start(config, null);
  }

  /**
   * Starts a strong-mode server (SPEC.md §8): the same RESP front end, with every data command
   * sent through {@code strong}'s Raft groups ({@link StrongCommands}); nothing is logged to the
   * data directory here (the Raft log is the strong side's). {@code strong} is closed with the
   * server.
   */
  public static KvServer startStrong(ServerConfig config, StrongBackend strong) {
    return start(config.withDurable(null), strong);
  }

  private static KvServer start(ServerConfig config, StrongBackend strong) {
    kv.security.ProtectedMode.check(config.address(), "-a", config.security().users());
    SslContext tls = config.security().tls() == null ? null : TlsContexts.server(config.security().tls());
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String instanceId = HexFormat.of().formatHex(random);
    long startMillis = System.currentTimeMillis();

    Store store = new Store(new HybridLogicalClock(random[0] & 0xff, System::currentTimeMillis,
        config.maxClockSkewMillis()));
    Hints hints = new Hints();
    ServerStats stats = new ServerStats(instanceId, startMillis, config.maxClients());
    Persistence persistence = Persistence.open(config.durable(), store, hints);
    CommandTable table = commandTable(store, hints, stats, config, strong);
    StrongCommands router = strong == null ? null : new StrongCommands(table, strong.client());
    ServerMetrics metrics = new ServerMetrics(table, stats, store, strong);
    AuthThrottle throttle = new AuthThrottle(config.security().throttle());

    NettyTransport transport = NettyTransport.best();
    EventLoopGroup boss = transport.eventLoops(1, new DefaultThreadFactory("kv-accept"));
    EventLoopGroup workers = transport.eventLoops(config.threads(), new DefaultThreadFactory("kv-io"));
    ChannelGroup clients = new DefaultChannelGroup("kv-clients", GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            clients.add(ch);
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new ConnectionHandler(table, router, stats, metrics, config, throttle));
          }
        });
    String where = config.address() + ":" + config.port();
    InetSocketAddress address = new InetSocketAddress(config.address(), config.port());
    Channel channel;
    try {
      if (address.isUnresolved()) {
        throw new java.net.UnknownHostException(config.address());
      }
      channel = bootstrap.bind(address).sync().channel();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      shutdown(boss, workers);
      persistence.abandon();
      if (strong != null) {
        strong.close();
      }
      throw new UncheckedIOException(new BindException("cannot listen on " + where + ": " + NettyTransport.bindFailure(e)));
    }
    KvServer server = new KvServer(boss, workers, channel, clients, instanceId, persistence, strong, metrics,
        config.security());
    LOG.info("kvServer {} started on {} (instance id {}, {} io threads, {}, {})",
        VERSION, server.addressText(), instanceId, config.threads(),
        strong == null ? persistence.describe() : strong.describe(), describe(config.security()));
    return server;
  }

  static CommandTable commandTable(Store store, Hints hints, ServerStats stats, ServerConfig config) {
    return commandTable(store, hints, stats, config, null);
  }

  static CommandTable commandTable(Store store, Hints hints, ServerStats stats, ServerConfig config,
      StrongBackend strong) {
    CommandTable table = new CommandTable();
    HintCommands replication = new HintCommands(hints, new CaughtUpMark(stats.instanceId()));
    replication.register(table.forRole(Access.CLUSTER));
    registerData(table, store, new RecordParser(new Limits(config.maxDepth(), config.maxRequestBytes())),
        config.limits().maxReplyBytes(), replication);
    new ConnectionCommands(new KvServerFacts(stats, config, table)).register(table);
    new ServerCommands(store, stats, replication, strong).register(table.forRole(Access.CLIENT));
    return table;
  }

  /**
   * The commands over a store's data, in eventual mode and in each strong-mode group alike (a
   * command added here works in both; strong mode routes it as its {@link CommandTable.Route}).
   * Who may run what: each class's commands get the role of the view it registers through.
   */
  static void registerData(CommandTable table, Store store, RecordParser parser, long maxReplyBytes,
      HintCommands replication) {
    CommandTable clients = table.forRole(Access.CLIENT);
    CommandTable cluster = table.forRole(Access.CLUSTER);
    DataCommands data = new DataCommands(store, parser);
    data.register(clients);
    new ValueCommands(store, data).register(clients);
    new JsonCommands(store, data).register(clients);
    new VersionedCommands(store, data, replication).register(cluster);
    new KeyspaceCommands(store, maxReplyBytes).register(clients);
    new SyncCommands(store, replication).register(cluster);
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return bound.getPort();
  }

  /** The bound address and port. */
  public InetSocketAddress address() {
    return bound;
  }

  /**
   * Serves the server's metrics in the Prometheus text format at {@code GET /metrics} on
   * {@code address:port} (port 0 picks a free one) until the server closes; returns the bound port.
   * With the server's password it asks for {@code Authorization: Bearer}, with its TLS files it is
   * HTTPS, and without a password it binds only a loopback address (protected mode).
   *
   * @throws IllegalArgumentException when protected mode refuses {@code address}
   * @throws UncheckedIOException when the port cannot be bound: {@code cannot listen on
   *     127.0.0.1:9100 (metrics): address already in use}
   * @throws IllegalStateException when the metrics are served already
   */
  public synchronized int serveMetrics(String address, int port) {
    if (metricsEndpoint != null) {
      throw new IllegalStateException("metrics: served already on port " + metricsEndpoint.port());
    }
    if (closed.get()) {
      throw new IllegalStateException("metrics: the server is closed");
    }
    kv.security.ProtectedMode.check(address, "--metrics-bind", security.users());
    metricsEndpoint = MetricsEndpoint.start(address, port, metrics.registry(), security);
    LOG.info("metrics on {}", metricsUrl(address, metricsEndpoint.port()));
    return metricsEndpoint.port();
  }

  /** {@code http://host:port/metrics}, or https with TLS. */
  public String metricsUrl(String address, int port) {
    return (security.tls() == null ? "http" : "https") + "://" + MetricsEndpoint.hostPort(address, port) + "/metrics";
  }

  /** This run's random instance id, as INFO reports it. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Stops accepting, closes every connection, stops the I/O threads and then (no write can come
   * any more) closes the log. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (metricsEndpoint != null) {
        metricsEndpoint.close();
      }
    }
    serverChannel.close().syncUninterruptibly();
    clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdown(boss, workers);
    persistence.close();
    if (strong != null) {
      strong.close();
    }
    LOG.info("kvServer on {} stopped", addressText());
    stopped.countDown();
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitClose() throws InterruptedException {
    stopped.await();
  }

  private String addressText() {
    return bound.getAddress().getHostAddress() + ":" + bound.getPort();
  }

  private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /* "TLS, passwords for default and cluster" and the like, for the start line. */
  private static String describe(SecurityConfig security) {
    Users users = security.users();
    String auth = !users.passwordRequired() && !users.hasClusterUser() ? "no password"
        : users.passwordRequired() && users.hasClusterUser() ? "passwords for clients and the cluster"
        : users.passwordRequired() ? "a password (no separate cluster password: one role)"
        : "a cluster password only (clients need none)";
    String tls = security.tls() == null ? "plain TCP" : security.tls().mutual() ? "TLS with client certificates" : "TLS";
    return tls + ", " + auth;
  }
}
