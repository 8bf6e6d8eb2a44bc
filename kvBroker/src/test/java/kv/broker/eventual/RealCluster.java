package kv.broker.eventual;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.testing.Await;
import kv.broker.testing.StatusValues;
import kv.broker.transport.netty.IoThreads;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.record.Path;
import kv.server.KvServer;
import kv.server.ServerConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/** Three (or n) real kvServers started in-process on port 0, and a broker over Netty in front of them. */
public final class RealCluster implements AutoCloseable {
  /** kvServer's versioned read, for checking a replica directly. */
  public enum Cmd implements ProtocolCommand {
    VGET, GET, VPUT;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  final KvServer[] servers;
  public final int[] ports;
  public final List<ServerAddress> addresses = new ArrayList<>();
  public final EventualEngine service;
  /** The broker's I/O threads (a router under test serves on them too). */
  public final IoThreads io = IoThreads.start();
  private final Jedis[] clients;

  public RealCluster(int n, int k) {
    this(n, k, BrokerConfig.DEFAULT_TOMBSTONE_GRACE);
  }

  /** As above, with tombstones every replica has purged {@code tombstoneGrace} after the delete. */
  public RealCluster(int n, int k, Duration tombstoneGrace) {
    servers = new KvServer[n];
    ports = new int[n];
    for (int i = 0; i < n; i++) {
      servers[i] = KvServer.start(ServerConfig.defaults());
      ports[i] = servers[i].port();
      addresses.add(new ServerAddress("127.0.0.1", ports[i]));
    }
    BrokerConfig config = BrokerConfig.of(addresses, "test servers", k).with(c -> {
      c.timeout = Duration.ofSeconds(5); // generous: CI machines are busy; a stopped server is DOWN at once anyway
      c.heartbeatInterval = Duration.ofMillis(100);
      c.infoInterval = Duration.ofMillis(500);
      c.minBackoff = Duration.ofMillis(50);
      c.maxBackoff = Duration.ofMillis(400);
      c.tombstoneGrace = tombstoneGrace;
    });
    service = EventualEngine.start(config, io);
    clients = new Jedis[n];
    for (int i = 0; i < n; i++) {
      awaitCaughtUp(i); // empty servers are resynced from each other before they are trusted
    }
  }

  /** A direct client of server i (kept open; reopened after a restart). */
  private Jedis client(int i) {
    if (clients[i] == null || !clients[i].isConnected()) {
      clients[i] = new Jedis("127.0.0.1", ports[i]);
    }
    return clients[i];
  }

  public ServerAddress address(int i) {
    return addresses.get(i);
  }

  public List<ServerAddress> replicas(String key) {
    return new Placement(addresses, service.config().k()).replicas(key);
  }

  public ServerStatus status(int i) {
    return service.status().servers().get(i);
  }

  /** Stops server i and waits until the broker has marked it DOWN. */
  public void stop(int i) {
    if (clients[i] != null) {
      clients[i].close();
      clients[i] = null;
    }
    servers[i].close();
    Await.until(address(i) + " marked DOWN", () -> !status(i).up());
  }

  /** Starts server i again on its port (empty: kvServer is in-memory) and waits until it is UP. */
  public void restart(int i) {
    startAgain(i);
    Await.until(address(i) + " marked UP again", () -> status(i).up());
  }

  /** Starts server i again on its port (empty), whether or not a broker is there to see it. */
  public void startAgain(int i) {
    servers[i] = KvServer.start(ServerConfig.defaults().withPort(ports[i]));
  }

  /** Server i's INFO text. */
  public String info(int i) {
    return client(i).info();
  }

  /** The raw reply of {@code VGET key} on server i: null when the server never saw the key. */
  public Object vget(int i, String key) {
    return client(i).sendCommand(Cmd.VGET, key);
  }

  /** A VPUT straight to server i (as another broker would send it); its reply. */
  public Object vput(int i, String key, long version, String setText) {
    return client(i).sendCommand(Cmd.VPUT, key, Long.toString(version), setText);
  }

  public String plainGet(int i, String key) {
    Object reply = client(i).sendCommand(Cmd.GET, key);
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  public Outcome get(String key) throws Exception {
    return service.get(key).get(10, TimeUnit.SECONDS);
  }

  Outcome query(String path) throws Exception {
    return service.query(Path.parse(path)).get(10, TimeUnit.SECONDS);
  }

  public Outcome put(String recordText) throws Exception {
    return service.put(new kv.record.RecordParser().parseRecord(recordText)).get(10, TimeUnit.SECONDS);
  }

  /** Waits until server i is UP and no longer catching up. */
  public void awaitCaughtUp(int i) {
    Await.until(address(i) + " caught up", Duration.ofSeconds(20), () -> status(i).up() && !status(i).catchingUp());
  }

  public Outcome delete(String key) throws Exception {
    return service.delete(key).get(10, TimeUnit.SECONDS);
  }

  /** A counter of the engine's catch-up section of the status (read_repairs, tombstones_purged, ...). */
  public long counter(String name) {
    return StatusValues.counter(service.status(), name);
  }

  @Override
  public void close() {
    service.close();
    io.close();
    for (Jedis client : clients) {
      if (client != null) {
        client.close();
      }
    }
    for (KvServer server : servers) {
      server.close();
    }
  }
}
