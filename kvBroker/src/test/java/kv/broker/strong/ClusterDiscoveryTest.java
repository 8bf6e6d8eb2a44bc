package kv.broker.strong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kv.cluster.ServerAddress;
import kv.cluster.ServerFile;
import kv.cluster.ServerLine;
import kv.raft.ClusterIdentity;
import org.junit.jupiter.api.Test;

/** Learning G and k from the servers' INFO, and refusing a broker whose file or -k differ, over canned answers. */
class ClusterDiscoveryTest {
  private static final String FILE = "127.0.0.1 9001\n127.0.0.1 9002\n127.0.0.1 9003\n";
  private final Map<Integer, Object> answers = new HashMap<>();
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger waited = new AtomicInteger();

  private static List<ServerLine> lines(String text) throws Exception {
    return ServerFile.parseLines("serverFile.txt", text);
  }

  private static String info(ClusterIdentity id) {
    StringBuilder b = new StringBuilder("# Server\r\nkv_version:0.1.0\r\n\r\n# Raft\r\n");
    id.infoFields().forEach((k, v) -> b.append(k).append(':').append(v).append("\r\n"));
    return b.append("raft_self:127.0.0.1:9001\r\n").toString();
  }

  private final InfoSource source = server -> {
    Object a = answers.get(server.port());
    if (a instanceof IOException e) {
      throw e;
    }
    if (a == null) {
      throw new ConnectException("Connection refused");
    }
    return (String) a;
  };

  private ClusterIdentity discover(String file, Integer k) throws Exception {
    return ClusterDiscovery.discover(lines(file), k, "serverFile.txt", source, Runnable::run, now::get, 0,
        waited::incrementAndGet);
  }

  private void allAnswer(ClusterIdentity id) {
    for (int p : new int[] {9001, 9002, 9003}) {
      answers.put(p, info(id));
    }
  }

  @Test
  void gAndKAreLearnedFromAServerAndAnOptionalKIsChecked() throws Exception {
    ClusterIdentity cluster = ClusterIdentity.of(lines(FILE), 3, 2);
    allAnswer(cluster);
    answers.remove(9001); // one server down is fine
    assertThat(discover(FILE, null)).isEqualTo(cluster);
    assertThat(discover(FILE, 3)).isEqualTo(cluster);
    assertThatThrownBy(() -> discover(FILE, 2)).isInstanceOfSatisfying(ClusterDiscovery.RefusedException.class, e -> {
      assertThat(e.usage()).isTrue();
      assertThat(e.getMessage()).isEqualTo("-k 2 differs from this cluster's 3 (recorded in the data directory of"
          + " 127.0.0.1:9002, as its INFO reports)");
    });
  }

  @Test
  void aServerFileThatDiffersFromTheClustersIsRefusedWithOneLineSayingWhat() throws Exception {
    allAnswer(ClusterIdentity.of(lines(FILE), 3, 1));
    assertThatThrownBy(() -> discover("127.0.0.1 9001\n127.0.0.1 9002\n", null))
        .isInstanceOfSatisfying(ClusterDiscovery.RefusedException.class, e -> {
          assertThat(e.usage()).isTrue();
          assertThat(e.getMessage()).isEqualTo("serverFile.txt lacks 127.0.0.1:9003 (in this cluster) (recorded in"
              + " the data directory of 127.0.0.1:9001, as its INFO reports)");
        });
    assertThatThrownBy(() -> discover(FILE + "127.0.0.1 9004\n", null)).hasMessageStartingWith(
        "serverFile.txt adds 127.0.0.1:9004 (not in this cluster)");
    assertThatThrownBy(() -> discover("127.0.0.1 9001 raft=7001\n127.0.0.1 9002\n127.0.0.1 9003\n", null))
        .hasMessageStartingWith("serverFile.txt gives 127.0.0.1:9001 raft port 7001 where this cluster's is 19001");
  }

  @Test
  void serversInEventualModeOrThatDisagreeAreRefused() throws Exception {
    allAnswer(ClusterIdentity.of(lines(FILE), 3, 1));
    answers.put(9002, "# Server\r\nkv_version:0.1.0\r\n\r\n# Keyspace\r\nrecords:3\r\n");
    assertThatThrownBy(() -> discover(FILE, null)).isInstanceOfSatisfying(ClusterDiscovery.RefusedException.class, e -> {
      assertThat(e.usage()).isFalse();
      assertThat(e.getMessage()).startsWith("127.0.0.1:9002 runs in eventual mode (no raft_groups in INFO); --strong"
          + " needs servers started with --strong");
    });
    answers.put(9002, info(ClusterIdentity.of(lines(FILE), 3, 2)));
    assertThatThrownBy(() -> discover(FILE, null)).hasMessageStartingWith("the servers disagree about the cluster:"
        + " 127.0.0.1:9001 reports groups=1;k=3;servers=");
  }

  @Test
  void withNoServerAnsweringItAsksAgainUntilTheDeadlineThenSaysWhy() throws Exception {
    String answer = info(ClusterIdentity.of(lines(FILE), 3, 1));
    InfoSource later = server -> {
      if (now.get() < 3) {
        now.incrementAndGet();
        throw new ConnectException("Connection refused");
      }
      return answer;
    };
    ClusterIdentity id = ClusterDiscovery.discover(lines(FILE), null, "serverFile.txt", later, Runnable::run, now::get,
        100, waited::incrementAndGet);
    assertThat(id.groups()).isEqualTo(1);
    assertThat(waited.get()).as("told once that it waits").isEqualTo(1);

    answers.put(9003, new IOException("answered INFO with -NOAUTH Authentication required."));
    now.set(5);
    assertThatThrownBy(() -> discover(FILE, null)).isInstanceOfSatisfying(ClusterDiscovery.RefusedException.class, e -> {
      assertThat(e.usage()).isFalse();
      assertThat(e.getMessage()).isEqualTo("no server of serverFile.txt answered INFO (127.0.0.1:9001: Connection"
          + " refused; 127.0.0.1:9002: Connection refused; 127.0.0.1:9003: answered INFO with -NOAUTH Authentication"
          + " required.); strong mode learns the number of groups and k from the servers: start them first"
          + " (bin/cluster start --strong)");
    });
  }

  @Test
  void theSocketSourceReadsARealServersInfo() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (java.net.Socket s = server.accept()) {
          s.getInputStream().readNBytes("*1\r\n$4\r\nINFO\r\n".length());
          byte[] body = "raft_groups:1\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          var out = s.getOutputStream();
          // split in two writes: the reply decoder keeps what it has
          out.write(("$" + body.length + "\r\nraft_").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          out.flush();
          out.write("groups:1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      t.start();
      String text = InfoSource.socket(java.time.Duration.ofSeconds(30))
          .info(new ServerAddress("127.0.0.1", server.getLocalPort()));
      assertThat(text).isEqualTo("raft_groups:1\r\n");
      t.join();
    }
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(() -> InfoSource.socket(java.time.Duration.ofSeconds(5))
        .info(new ServerAddress("127.0.0.1", closedPort))).isInstanceOf(IOException.class);
  }
}
