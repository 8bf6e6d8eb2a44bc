package kv.broker.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import kv.broker.transport.Connection;
import kv.broker.transport.Connector;
import kv.broker.transport.TransportException;
import kv.cluster.ServerAddress;
import kv.resp.Resp;

/**
 * An in-memory network of {@link FakeServer}s with a firewall (after MicroRaft's Firewall):
 * {@link #refuse} makes a server refuse connections and resets its open ones (a crashed
 * process), {@link #blackhole} makes it swallow requests without answering (a hung process or a
 * partition; healed, it answers them, as a resumed process does), {@link #slow} makes it take time for each request, {@link #heal} undoes them.
 * Replies are delivered synchronously. Silences, and a slow server's service time, are measured
 * on a {@link ManualClock} the test advances, so a busy machine never makes a server look hung.
 * Thread-safe.
 */
public final class FakeNetwork implements Connector {
  enum Fault { NONE, REFUSE, BLACKHOLE }

  private final Map<ServerAddress, FakeServer> servers = new ConcurrentHashMap<>();
  private final Map<ServerAddress, Fault> faults = new ConcurrentHashMap<>();
  private final Map<ServerAddress, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final List<FakeConnection> connections = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  /** Serves the requests to slow servers one at a time, as a busy server's event loop would. */
  private final ExecutorService slowWorker = Executors.newSingleThreadExecutor();
  private final Map<ServerAddress, Duration> slowness = new ConcurrentHashMap<>();
  private final ManualClock clock;

  /** @param clock the time of silences and of slow servers' work; only the test moves it */
  public FakeNetwork(ManualClock clock) {
    this.clock = clock;
  }

  /** Adds a server at {@code 10.0.0.n:9000+n}. */
  public ServerAddress add(FakeServer server) {
    int n = servers.size() + 1;
    ServerAddress address = new ServerAddress("10.0.0." + n, 9000 + n);
    servers.put(address, server);
    return address;
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  public FakeServer server(ServerAddress address) {
    return servers.get(address);
  }

  Fault fault(ServerAddress address) {
    return faults.getOrDefault(address, Fault.NONE);
  }

  public int connectAttempts(ServerAddress address) {
    return attempts.computeIfAbsent(address, a -> new AtomicInteger()).get();
  }

  public void refuse(ServerAddress address) {
    faults.put(address, Fault.REFUSE);
    for (FakeConnection c : connections) {
      if (c.address().equals(address)) {
        c.close("connection reset by peer");
      }
    }
  }

  public void blackhole(ServerAddress address) {
    faults.put(address, Fault.BLACKHOLE);
  }

  public void heal(ServerAddress address) {
    heal(address, false);
  }

  /**
   * Heals {@code address}; with {@code newestFirst} it serves the requests it swallowed in the
   * reverse of their order, as two connections or a reordering network would deliver them.
   */
  public void heal(ServerAddress address, boolean newestFirst) {
    faults.remove(address);
    slowness.remove(address);
    for (FakeConnection c : connections) {
      if (c.address().equals(address)) {
        c.answerPending(newestFirst);
      }
    }
  }

  /**
   * From now on the server takes {@code perRequest} of the clock for each request, one request
   * at a time: it advances the clock by that much, then answers.
   */
  public void slow(ServerAddress address, Duration perRequest) {
    slowness.put(address, perRequest);
  }

  @Override
  public CompletableFuture<Connection> connect(ServerAddress address, Duration timeout) {
    attempts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    if (fault(address) == Fault.REFUSE || !servers.containsKey(address)) {
      return CompletableFuture.failedFuture(new TransportException("connection refused"));
    }
    FakeConnection c = new FakeConnection(address);
    connections.add(c);
    return CompletableFuture.completedFuture(c);
  }

  @Override
  public void close() {
    for (FakeConnection c : connections) {
      c.close("network closed");
    }
    scheduler.shutdownNow();
    slowWorker.shutdownNow();
  }

  /**
   * One connection; requests to a blackholed server stay pending until it is healed or the
   * connection closes.
   * Its silence is exact: replies are delivered the moment they exist, so nothing waits unread.
   */
  final class FakeConnection implements Connection {
    private final ServerAddress address;
    private final List<CompletableFuture<Resp>> pending = new ArrayList<>();
    private final List<List<byte[]>> pendingArgs = new ArrayList<>();
    private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private boolean isClosed;
    /** Replies owed (blackholed or being served slowly), and since when the server said nothing. */
    private int owed;
    private long quietSince;

    FakeConnection(ServerAddress address) {
      this.address = address;
    }

    ServerAddress address() {
      return address;
    }

    @Override
    public CompletableFuture<Resp> send(List<byte[]> args) {
      CompletableFuture<Resp> future = new CompletableFuture<>();
      synchronized (this) {
        if (isClosed) {
          future.completeExceptionally(new TransportException("connection closed"));
          return future;
        }
        if (owed++ == 0) {
          quietSince = clock.getAsLong();
        }
        if (fault(address) != Fault.NONE) {
          pending.add(future);
          pendingArgs.add(args);
          return future;
        }
      }
      Duration slow = slowness.get(address);
      if (slow == null) {
        reply(future, servers.get(address).handle(args));
      } else {
        slowWorker.execute(() -> {
          clock.advance(slow); // the service time
          reply(future, servers.get(address).handle(args));
        });
      }
      return future;
    }

    private void reply(CompletableFuture<Resp> future, Resp resp) {
      synchronized (this) {
        owed--;
        quietSince = clock.getAsLong();
      }
      future.complete(resp);
    }

    /** The server is back: it answers what it swallowed, in order (or newest first). */
    void answerPending(boolean newestFirst) {
      List<CompletableFuture<Resp>> futures;
      List<List<byte[]>> requests;
      synchronized (this) {
        futures = new ArrayList<>(pending);
        requests = new ArrayList<>(pendingArgs);
        pending.clear();
        pendingArgs.clear();
      }
      if (newestFirst) {
        java.util.Collections.reverse(futures);
        java.util.Collections.reverse(requests);
      }
      for (int i = 0; i < futures.size(); i++) {
        reply(futures.get(i), servers.get(address).handle(requests.get(i)));
      }
    }

    @Override
    public synchronized long silentNanos() {
      return owed == 0 ? 0 : clock.getAsLong() - quietSince;
    }

    @Override
    public CompletableFuture<Throwable> closed() {
      return closed;
    }

    @Override
    public void close(String reason) {
      List<CompletableFuture<Resp>> failed;
      synchronized (this) {
        if (isClosed) {
          return;
        }
        isClosed = true;
        failed = new ArrayList<>(pending);
        pending.clear();
        pendingArgs.clear();
      }
      connections.remove(this);
      TransportException cause = new TransportException(reason);
      failed.forEach(f -> f.completeExceptionally(cause));
      closed.complete(cause);
    }
  }
}
