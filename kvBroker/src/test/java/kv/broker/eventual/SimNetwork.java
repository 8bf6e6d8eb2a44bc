package kv.broker.eventual;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import kv.broker.transport.Connection;
import kv.broker.transport.Connector;
import kv.broker.transport.TransportException;
import kv.cluster.ServerAddress;
import kv.resp.Resp;

/**
 * The simulation's network: TCP-like connections from brokers to {@link SimServer}s, each
 * delivering requests and replies in order after seeded random delays (now and then a long one,
 * so a broker's failure detector sees silence), all as tasks of the {@link SimScheduler}. A crashed
 * server's connections are reset; a killed broker's requests already sent still reach the server
 * (their replies are lost). Not thread-safe (the simulation's one thread).
 */
final class SimNetwork {
  private final SimScheduler time;
  private final Random random;
  private final Map<ServerAddress, SimServer> servers = new LinkedHashMap<>();
  private final List<SimConnection> connections = new ArrayList<>();
  /** Sees every request a broker sends, before it is delivered (the history records client writes' versions). */
  private final Consumer<Sent> tap;
  private boolean calm;

  /** One request on its way: who sent it, to whom, when. */
  record Sent(String broker, ServerAddress server, List<byte[]> args) {}

  SimNetwork(SimScheduler time, Random random, Consumer<Sent> tap) {
    this.time = time;
    this.random = random;
    this.tap = tap;
  }

  void add(SimServer server) {
    servers.put(server.address, server);
  }

  /** Resets every connection to a server that crashed. */
  void crashed(ServerAddress address) {
    for (SimConnection c : new ArrayList<>(connections)) {
      if (c.address.equals(address)) {
        c.close("connection reset by peer");
      }
    }
  }

  /** A broker was killed: its connections go quiet (nothing is delivered to it any more). */
  void killed(String broker) {
    for (SimConnection c : new ArrayList<>(connections)) {
      if (c.broker.equals(broker)) {
        c.orphaned = true;
        connections.remove(c);
      }
    }
  }

  /** No more stalls (while the cluster heals: the check is about data, not availability). */
  void calm() {
    calm = true;
  }

  /** One message's delay: mostly under 2 ms, 1 in 400 a stall of 0.5 to 3 s (unless calm). */
  private long delay() {
    if (random.nextInt(400) == 0 && !calm) {
      return 500_000_000L + (long) (random.nextDouble() * 2_500_000_000L);
    }
    return 50_000L + (long) (random.nextDouble() * 2_000_000L);
  }

  /** The connector of one broker; its tasks belong to {@code owner}. */
  Connector connector(String broker, SimScheduler.Owner owner) {
    return new Connector() {
      @Override
      public java.util.concurrent.CompletableFuture<Connection> connect(ServerAddress address, Duration timeout) {
        java.util.concurrent.CompletableFuture<Connection> result = new java.util.concurrent.CompletableFuture<>();
        time.at(delay(), owner, () -> {
          SimServer server = servers.get(address);
          if (server == null || !server.up()) {
            result.completeExceptionally(new TransportException("connection refused"));
          } else {
            SimConnection c = new SimConnection(broker, owner, server);
            connections.add(c);
            result.complete(c);
          }
        });
        return result;
      }

      @Override
      public void close() {
        // the broker's connections are closed by its engine; the network outlives it
      }
    };
  }

  /** One connection: requests in order to one server instance, replies in order back. */
  private final class SimConnection implements Connection {
    final String broker;
    final SimScheduler.Owner owner;
    final SimServer server;
    final ServerAddress address;
    final String instance;
    final java.util.concurrent.CompletableFuture<Throwable> closed = new java.util.concurrent.CompletableFuture<>();
    final List<java.util.concurrent.CompletableFuture<Resp>> pending = new ArrayList<>();
    boolean isClosed;
    boolean orphaned;
    long lastArrival;
    long lastReply;
    long quietSince;

    SimConnection(String broker, SimScheduler.Owner owner, SimServer server) {
      this.broker = broker;
      this.owner = owner;
      this.server = server;
      this.address = server.address;
      this.instance = server.instanceId();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Resp> send(List<byte[]> args) {
      java.util.concurrent.CompletableFuture<Resp> future = new java.util.concurrent.CompletableFuture<>();
      if (isClosed) {
        future.completeExceptionally(new TransportException("connection closed"));
        return future;
      }
      if (pending.isEmpty()) {
        quietSince = time.nanos();
      }
      pending.add(future);
      tap.accept(new Sent(broker, address, args));
      long arrival = Math.max(lastArrival, time.nanos() + delay());
      lastArrival = arrival;
      time.at(arrival - time.nanos(), null, () -> arrive(args, future));
      return future;
    }

    /** The request reaches the server (if it is still the same process), which answers. */
    private void arrive(List<byte[]> args, java.util.concurrent.CompletableFuture<Resp> future) {
      if (!server.up() || !server.instanceId().equals(instance)) {
        return; // the server crashed meanwhile: the request was lost with the connection
      }
      // Sent before the broker closed or lost the connection: the server still executes it.
      Resp reply = server.handle(args);
      long back = Math.max(lastReply, time.nanos() + delay());
      lastReply = back;
      time.at(back - time.nanos(), null, () -> {
        if (orphaned || isClosed) {
          return;
        }
        pending.remove(future);
        quietSince = time.nanos();
        future.complete(reply);
      });
    }

    @Override
    public java.util.concurrent.CompletableFuture<Throwable> closed() {
      return closed;
    }

    @Override
    public long silentNanos() {
      return pending.isEmpty() ? 0 : time.nanos() - quietSince;
    }

    @Override
    public void close(String reason) {
      if (isClosed) {
        return;
      }
      isClosed = true;
      connections.remove(this);
      TransportException cause = new TransportException(reason);
      List<java.util.concurrent.CompletableFuture<Resp>> failed = new ArrayList<>(pending);
      pending.clear();
      if (owner.killed()) {
        return;
      }
      failed.forEach(f -> f.completeExceptionally(cause));
      closed.complete(cause);
    }
  }
}
