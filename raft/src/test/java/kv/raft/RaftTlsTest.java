package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kv.resp.Resp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on the Raft ports: real Ratis servers on loopback with certificates openssl made. */
class RaftTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir
  static Path certDir;
  private static RaftCerts certs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = RaftCerts.create(certDir);
  }

  private static List<byte[]> args(String... words) {
    return StrongClient.args(words);
  }

  private static Resp get(CompletableFuture<Resp> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  /* A client that gives up soon: its requests are refused at the handshake, every attempt alike. */
  private static RaftTuning shortClient(LocalCluster cluster) {
    return cluster.tuning.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2));
  }

  @Test
  void threeMembersWithCertificatesWriteAndReadLinearizably(@TempDir Path dir) throws Exception {
    RaftTls member = certs.member();
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 2, LocalCluster.tuning(2), MapApplier::new, member,
        member, member);
        StrongClient client = cluster.client(ClientOptions.defaults(), cluster.tuning, member)) {
      List<CompletableFuture<Resp>> puts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        puts.add(client.write("key" + i, args("PUT", "key" + i, "v" + i)));
      }
      for (CompletableFuture<Resp> p : puts) {
        assertThat(get(p)).isEqualTo(Resp.OK);
      }
      for (int i = 0; i < 50; i++) {
        assertThat(get(client.read("key" + i, args("GET", "key" + i)))).isEqualTo(Resp.Bulk.of("v" + i));
      }
      // every member got the log over TLS
      for (int g = 0; g < 2; g++) {
        int group = g;
        await().atMost(WAIT).until(() -> cluster.applier(0, group).map.equals(cluster.applier(1, group).map)
            && cluster.applier(1, group).map.equals(cluster.applier(2, group).map));
      }
      assertThat(cluster.applier(0, 0).size() + cluster.applier(0, 1).size()).isEqualTo(50);
    }
  }

  @Test
  void aPlainClientAndAClientWithAStrangersCertificateCannotWrite(@TempDir Path dir) throws Exception {
    RaftTls member = certs.member();
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 1, LocalCluster.tuning(1), MapApplier::new, member,
        member, member);
        StrongClient good = cluster.client(ClientOptions.defaults(), cluster.tuning, member);
        StrongClient plain = cluster.client(ClientOptions.defaults(), shortClient(cluster), null);
        StrongClient stranger = cluster.client(ClientOptions.defaults(), shortClient(cluster), certs.stranger())) {
      assertThat(get(good.write("k", args("PUT", "k", "good")))).isEqualTo(Resp.OK);
      for (StrongClient bad : List.of(plain, stranger)) {
        assertThatThrownBy(() -> bad.write("k", args("PUT", "k", "bad")).get(60, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StrongException.class);
        assertThatThrownBy(() -> bad.read("k", args("GET", "k")).get(60, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StrongException.class);
      }
      assertThat(get(good.read("k", args("GET", "k")))).isEqualTo(Resp.Bulk.of("good"));
      for (int i = 0; i < 3; i++) {
        assertThat(cluster.applier(i, 0).map.get("k").value()).isEqualTo("good");
      }
    }
  }

  @Test
  void aMemberWithAStrangersCertificateGetsNoEntriesAndTheOthersGoOn(@TempDir Path dir) throws Exception {
    RaftTls member = certs.member();
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 1, LocalCluster.tuning(1), MapApplier::new, member,
        member, certs.stranger());
        StrongClient client = cluster.client(ClientOptions.defaults(), cluster.tuning, member)) {
      for (int i = 0; i < 20; i++) {
        assertThat(get(client.write("key" + i, args("PUT", "key" + i, "v" + i)))).isEqualTo(Resp.OK);
      }
      await().atMost(WAIT).until(() -> cluster.leader(0) >= 0);
      int leader = cluster.leader(0);
      assertThat(leader).isNotEqualTo(2);
      // the leader has not heard from member 2 for many election timeouts, while it hears the other
      String stranger = cluster.layout.servers().get(2).peerId().toString();
      long silence = 5 * cluster.tuning.electionMax().toMillis();
      await().atMost(WAIT).until(() -> silenceOf(cluster, leader, stranger) > silence);
      RaftNode.LocalStatus s = cluster.nodes[2].localStatus(cluster.layout.groupId(0));
      assertThat(s.commitIndex()).isLessThanOrEqualTo(0);
      assertThat(s.role()).isNotEqualTo("leader");
      assertThat(cluster.applier(2, 0).size()).isZero();
      int other = 1 - leader;
      await().atMost(WAIT).until(() -> cluster.applier(other, 0).size() == 20);
    }
  }

  /* Milliseconds since the leader last heard from the follower {@code peer}, as the leader reports it. */
  private static long silenceOf(LocalCluster cluster, int leader, String peer) {
    RaftNode.LocalStatus s = cluster.nodes[leader].localStatus(cluster.layout.groupId(0));
    for (String f : s.followersHeard()) {
      if (f.startsWith(peer + "=")) {
        return Long.parseLong(f.substring(peer.length() + 1));
      }
    }
    return -1;
  }

  @Test
  void missingFilesAreRefusedNamingThem(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("c.crt"), "x");
    assertThatThrownBy(() -> new RaftTls(cert, dir.resolve("nope.key"), cert))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.key: no such file");
  }
}
