package kv.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.e2e.Launchers.Server;
import redis.clients.jedis.Jedis;

/**
 * Test harness: three {@code bin/kvServer --strong} processes whose Raft traffic goes through a
 * {@link TcpProxy} each (the server file gives the proxy's port, the server listens on another
 * with {@code --raft-port}), and {@code bin/kvBroker --strong --port 0} processes in front. Every
 * proxy knows the pids of the servers and brokers, so {@link #partition} cuts the cluster in two
 * sides by process, both ways, and {@link #heal} joins it again. Servers keep their data
 * directory (in {@code dir}) across kill and start.
 */
final class StrongProcesses implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(120);
  final Path dir;
  final Path serverFile;
  final int[] ports = new int[3];
  private final int[] direct = new int[3];
  private final TcpProxy[] proxies = new TcpProxy[3];
  private final Server[] servers = new Server[3];
  private final String[][] extraFlags = new String[3][];
  private final List<Server> brokers = new ArrayList<>();

  private StrongProcesses(Path dir, Path serverFile) {
    this.dir = dir;
    this.serverFile = serverFile;
  }

  /** Three servers ({@code flags[i]}: extra kvServer flags of server i, may be empty), started at once. */
  static StrongProcesses start(Path dir, String[]... flags) throws Exception {
    StringBuilder file = new StringBuilder("# strong-mode end-to-end test: Raft through proxies\n");
    int[] ports = new int[3];
    int[] proxyPorts = new int[3];
    for (int i = 0; i < 3; i++) {
      ports[i] = Launchers.freePort();
      proxyPorts[i] = Launchers.freePort();
      file.append("127.0.0.1 ").append(ports[i]).append(" raft=").append(proxyPorts[i]).append('\n');
    }
    StrongProcesses cluster = new StrongProcesses(dir, Files.writeString(dir.resolve("serverFile.txt"), file));
    for (int i = 0; i < 3; i++) {
      cluster.ports[i] = ports[i];
      cluster.direct[i] = Launchers.freePort();
      cluster.proxies[i] = new TcpProxy(proxyPorts[i], cluster.direct[i]);
      cluster.proxies[i].watch(cluster::pids);
      cluster.extraFlags[i] = i < flags.length ? flags[i] : new String[0];
    }
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      starts.add(CompletableFuture.runAsync(() -> cluster.startServer(n), StrongProcesses::thread));
    }
    for (CompletableFuture<Void> s : starts) {
      s.get(3, TimeUnit.MINUTES);
    }
    return cluster;
  }

  private static void thread(Runnable r) {
    Thread t = new Thread(r, "start-server");
    t.setDaemon(true);
    t.start();
  }

  String address(int i) {
    return "127.0.0.1:" + ports[i];
  }

  int index(String address) {
    for (int i = 0; i < 3; i++) {
      if (address(i).equals(address)) {
        return i;
      }
    }
    throw new AssertionError("not a server of the test: " + address);
  }

  /** Starts server i (again) with the same command: bin/kvServer -p PORT --strong FILE --raft-port P. */
  void startServer(int i) {
    List<String> args = new ArrayList<>(List.of("--strong", serverFile.toString(), "--raft-port",
        String.valueOf(direct[i])));
    args.addAll(List.of(extraFlags[i]));
    try {
      servers[i] = Launchers.startServer(dir, ports[i], args.toArray(new String[0]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL of server i. */
  void kill(int i) throws InterruptedException {
    servers[i].kill();
    servers[i] = null;
  }

  boolean running(int i) {
    return servers[i] != null;
  }

  long pid(int i) {
    return servers[i].process().pid();
  }

  /** A broker serving RESP ({@code bin/kvBroker -s FILE --strong --port 0 FLAGS}). */
  Server broker(String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("-s", serverFile.toString(), "--strong", "--port", "0"));
    args.addAll(List.of(flags));
    Server broker = Launchers.startBroker(dir, args.toArray(new String[0]));
    brokers.add(broker);
    return broker;
  }

  static Jedis jedis(Server broker) {
    return new Jedis("127.0.0.1", broker.port(), 60_000);
  }

  /**
   * Cuts the cluster in two, both ways: the servers {@code side} and the brokers {@code sideBrokers}
   * on one side, every other server and broker on the other.
   */
  void partition(Set<Integer> side, Collection<Server> sideBrokers) {
    Set<Long> one = new HashSet<>();
    Set<Long> other = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      if (servers[i] != null) {
        (side.contains(i) ? one : other).add(pid(i));
      }
    }
    for (Server b : brokers) {
      (sideBrokers.contains(b) ? one : other).add(b.process().pid());
    }
    for (int i = 0; i < 3; i++) {
      proxies[i].refuseFrom(side.contains(i) ? other : one);
    }
  }

  /** The broker {@code broker} reaches only server {@code i}'s Raft port; servers reach each other. */
  void partitionBrokerTo(Server broker, int i) {
    for (int j = 0; j < 3; j++) {
      proxies[j].refuseFrom(j == i ? Set.of() : Set.of(broker.process().pid()));
    }
  }

  void heal() {
    for (TcpProxy p : proxies) {
      p.refuseNone();
    }
  }

  /** The group's leader as the broker's INFO shows it (its probe's view), waiting until there is one. */
  static String leader(Server broker, int group) {
    return await().atMost(WAIT).ignoreExceptions().until(() -> raftField(broker, "group" + group, "leader"),
        l -> l != null && !l.equals("none"));
  }

  /** A field of a line of the broker's INFO # Raft section ({@code group0:leader=...,raft_term=...}). */
  static String raftField(Server broker, String line, String field) {
    try (Jedis jedis = jedis(broker)) {
      for (String l : jedis.info().split("\r\n")) {
        if (l.startsWith(line + ":")) {
          for (String pair : l.substring(line.length() + 1).split(",")) {
            if (pair.startsWith(field + "=")) {
              return pair.substring(field.length() + 1);
            }
          }
        }
      }
    }
    return null;
  }

  /* Every process this test started (a broker connects before it says it serves) and the test's own JVM. */
  private Collection<Long> pids() {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
    pids.add(ProcessHandle.current().pid());
    return pids;
  }

  @Override
  public void close() throws Exception {
    for (Server b : brokers) {
      b.close();
    }
    for (int i = 0; i < 3; i++) {
      if (servers[i] != null) {
        servers[i].close();
      }
    }
    for (TcpProxy p : proxies) {
      if (p != null) {
        p.close();
      }
    }
  }
}
