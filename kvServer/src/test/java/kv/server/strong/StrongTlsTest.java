package kv.server.strong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import kv.cluster.ServerFile;
import kv.raft.ClientOptions;
import kv.raft.ClusterIdentity;
import kv.raft.GroupLayout;
import kv.raft.RaftTls;
import kv.raft.RaftTuning;
import kv.raft.StrongClient;
import kv.raft.StrongException;
import kv.security.Secret;
import kv.security.TlsFiles;
import kv.security.Users;
import kv.server.SecurityConfig;
import kv.testkit.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** Three strong-mode kvServers with passwords and mutual TLS on their RESP and Raft ports. */
class StrongTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aClusterWithMutualTlsAnswersThroughEveryServerAndRefusesAPlainRaftClient(@TempDir Path dir)
      throws Exception {
    TestCerts certs = TestCerts.create(Files.createDirectories(dir.resolve("certs")));
    SecurityConfig security = SecurityConfig.NONE.withUsers(new Users(Secret.of("t", "pw"), Secret.of("t", "admin")))
        .withTls(new TlsFiles(certs.serverCert, certs.serverKey, certs.ca));
    SSLContext tls = certs.clientContext(true);
    try (StrongServers cluster = StrongServers.start(dir, 3, 3, 1, security);
        Jedis a = jedis(cluster, 0, tls); Jedis b = jedis(cluster, 1, tls); Jedis c = jedis(cluster, 2, tls)) {
      assertThat(a.sendCommand(() -> "PUT".getBytes(), "k", "{ \"n\" : 1 }")).isEqualTo("OK".getBytes());
      assertThat(b.get("k")).isEqualTo("{ \"n\" : 1 }");
      assertThat(c.get("k")).isEqualTo("{ \"n\" : 1 }");
      // every member hears the others over mutual TLS
      await().atMost(WAIT).until(() -> c.info("raft").contains("members_up=3"));

      GroupLayout layout = GroupLayout.of(ClusterIdentity.of(ServerFile.readLines(cluster.serverFile), 3, 1));
      RaftTuning shortTuning = RaftTuning.defaults(1, 1 << 20).withTimeouts(Duration.ofMillis(500),
          Duration.ofSeconds(2));
      try (StrongClient plain = StrongClient.connect(layout, shortTuning, ClientOptions.defaults())) {
        assertThatThrownBy(() -> plain.write("k", List.of("PUT".getBytes(StandardCharsets.UTF_8),
            "k".getBytes(StandardCharsets.UTF_8), "{ \"n\" : 2 }".getBytes(StandardCharsets.UTF_8)))
            .get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(StrongException.class);
      }
      // a client with a certificate the CA signed is a member's peer
      try (StrongClient client = StrongClient.connect(layout, shortTuning, ClientOptions.defaults(),
          new RaftTls(certs.clientCert, certs.clientKey, certs.ca))) {
        assertThat(client.read("k", List.of("GET".getBytes(StandardCharsets.UTF_8),
            "k".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS).toString()).contains("{ \"n\" : 1 }");
      }
      assertThat(a.get("k")).isEqualTo("{ \"n\" : 1 }");
    }
  }

  private static Jedis jedis(StrongServers cluster, int i, SSLContext tls) {
    return new Jedis(new HostAndPort("127.0.0.1", cluster.ports[i]), DefaultJedisClientConfig.builder().ssl(true)
        .sslSocketFactory(tls.getSocketFactory()).password("pw").timeoutMillis(30_000).build());
  }
}
