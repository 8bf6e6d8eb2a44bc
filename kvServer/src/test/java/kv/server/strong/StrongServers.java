package kv.server.strong;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import kv.raft.ClientOptions;
import kv.server.KvServer;
import kv.server.SecurityConfig;
import kv.server.ServerConfig;
import redis.clients.jedis.Jedis;

/**
 * Test harness: n strong-mode kvServers in this JVM, on free ports written into a server file
 * (a strong-mode server must find itself in the file, so its ports are chosen before it starts),
 * each with its own data directory; a server can be stopped and started again on its ports.
 */
final class StrongServers implements AutoCloseable {
  final Path dir;
  final Path serverFile;
  final int[] ports;
  final int k;
  final int groups;
  final KvServer[] servers;
  /** Every server's passwords and TLS (SecurityConfig.NONE: none). */
  SecurityConfig security = SecurityConfig.NONE;

  private StrongServers(Path dir, Path serverFile, int[] ports, int k, int groups) {
    this.dir = dir;
    this.serverFile = serverFile;
    this.ports = ports;
    this.k = k;
    this.groups = groups;
    this.servers = new KvServer[ports.length];
  }

  static StrongServers start(Path dir, int n, int k, int groups) throws IOException {
    return start(dir, n, k, groups, SecurityConfig.NONE);
  }

  /** As above, every server with {@code security} (its TLS files, with a CA, are the Raft ports' too). */
  static StrongServers start(Path dir, int n, int k, int groups, SecurityConfig security) throws IOException {
    int[] ports = new int[n];
    StringBuilder file = new StringBuilder("# strong-mode test cluster\n");
    for (int i = 0; i < n; i++) {
      ports[i] = freePort();
      file.append("127.0.0.1 ").append(ports[i]).append(" raft=").append(freePort()).append('\n');
    }
    Path serverFile = dir.resolve("serverFile.txt");
    Files.writeString(serverFile, file);
    StrongServers cluster = new StrongServers(dir, serverFile, ports, k, groups);
    cluster.security = security;
    for (int i = 0; i < n; i++) {
      cluster.start(i);
    }
    return cluster;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  ServerConfig config(int i) {
    return ServerConfig.defaults().withPort(ports[i]).withSecurity(security);
  }

  StrongConfig strongConfig(int i) {
    return new StrongConfig(serverFile, k, groups, 0, dir.resolve("s" + i), ClientOptions.ReadMode.LINEARIZABLE, 0);
  }

  void start(int i) {
    servers[i] = KvServer.startStrong(config(i), StrongNode.start(config(i), strongConfig(i)));
  }

  void stop(int i) {
    servers[i].close();
    servers[i] = null;
  }

  Jedis jedis(int i) {
    return new Jedis("127.0.0.1", ports[i], 30_000);
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
