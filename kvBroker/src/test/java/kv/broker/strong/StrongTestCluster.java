package kv.broker.strong;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kv.cluster.ServerFile;
import kv.raft.ClientOptions;
import kv.raft.ClusterIdentity;
import kv.server.KvServer;
import kv.server.SecurityConfig;
import kv.server.ServerConfig;
import kv.server.strong.StrongConfig;
import kv.server.strong.StrongNode;

/**
 * Test harness: n strong-mode kvServers in this JVM (k and G as given), on free ports written
 * into a server file, each with its own data directory; a server can be stopped and started
 * again with its data, as after a crash and restart.
 */
public final class StrongTestCluster implements AutoCloseable {
  public final Path serverFile;
  public final int[] ports;
  private final Path dir;
  private final int k;
  private final int groups;
  private final KvServer[] servers;
  /** Every server's passwords and TLS (its TLS files with a CA are the Raft ports' too). */
  private SecurityConfig security = SecurityConfig.NONE;

  private StrongTestCluster(Path dir, Path serverFile, int[] ports, int k, int groups) {
    this.dir = dir;
    this.serverFile = serverFile;
    this.ports = ports;
    this.k = k;
    this.groups = groups;
    this.servers = new KvServer[ports.length];
  }

  public static StrongTestCluster start(Path dir, int n, int k, int groups) throws IOException {
    return start(dir, n, k, groups, SecurityConfig.NONE);
  }

  /** As above, every server with {@code security}. */
  public static StrongTestCluster start(Path dir, int n, int k, int groups, SecurityConfig security)
      throws IOException {
    int[] ports = new int[n];
    StringBuilder file = new StringBuilder("# strong-mode test cluster\n");
    for (int i = 0; i < n; i++) {
      ports[i] = freePort();
      file.append("127.0.0.1 ").append(ports[i]).append(" raft=").append(freePort()).append('\n');
    }
    Path serverFile = Files.writeString(dir.resolve("serverFile.txt"), file);
    StrongTestCluster cluster = new StrongTestCluster(dir, serverFile, ports, k, groups);
    cluster.security = security;
    for (int i = 0; i < n; i++) {
      cluster.start(i);
    }
    return cluster;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The identity a broker learns from the servers. */
  public ClusterIdentity identity() throws Exception {
    return ClusterIdentity.of(ServerFile.readLines(serverFile), k, groups);
  }

  public String address(int i) {
    return "127.0.0.1:" + ports[i];
  }

  public int index(String address) {
    for (int i = 0; i < ports.length; i++) {
      if (address(i).equals(address)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a server of the test cluster: " + address);
  }

  public void start(int i) {
    ServerConfig config = ServerConfig.defaults().withPort(ports[i]).withSecurity(security);
    StrongConfig strong = new StrongConfig(serverFile, k, groups, 0, dir.resolve("s" + i),
        ClientOptions.ReadMode.LINEARIZABLE, 0);
    servers[i] = KvServer.startStrong(config, StrongNode.start(config, strong));
  }

  public void stop(int i) {
    servers[i].close();
    servers[i] = null;
  }

  public boolean running(int i) {
    return servers[i] != null;
  }

  public List<Integer> indexes() {
    return java.util.stream.IntStream.range(0, ports.length).boxed().toList();
  }

  @Override
  public void close() {
    for (int i = 0; i < servers.length; i++) {
      if (servers[i] != null) {
        stop(i);
      }
    }
  }
}
