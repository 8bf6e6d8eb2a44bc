package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import kv.broker.strong.StrongTestCluster;
import kv.broker.testing.FakeEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kvBroker --strong against three strong-mode kvServers in this JVM: scripts, status, refusals and usage errors. */
class StrongModeCommandTest {
  @TempDir static Path dir;
  private static StrongTestCluster cluster;
  private static final FakeEngine unused = new FakeEngine();

  @BeforeAll
  static void start() throws Exception {
    cluster = StrongTestCluster.start(dir, 3, 3, 1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static CapturedRun run(String stdin, String... args) {
    return CapturedRun.run((config, io) -> unused, stdin, args);
  }

  @Test
  void aScriptRunsOnTheStrongEngineWithGAndKLearnedFromTheServers() {
    CapturedRun run = run("PUT person1 : { \"name\" : \"John\" }\nGET person1\nQUERY person1.name\nGET nobody\n"
        + "DELETE person1\nGET person1\nstatus\n", "-s", cluster.serverFile.toString(), "--strong");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).startsWith(String.join("\n",
        "OK",
        "person1 : { \"name\" : \"John\" }",
        "person1.name : \"John\"",
        "NOT FOUND",
        "OK",
        "NOT FOUND",
        "SERVER  "));
    assertThat(run.out()).contains("LEADER OF", "FOLLOWER OF", "3 servers: 3 up, 0 down", "GROUP  LEADER",
        "1 Raft group (k = 3)", "reads: linearizable");
    assertThat(unused.records).as("the eventual backend is not used").isEmpty();
  }

  @Test
  void aServerFileOrKThatDiffersFromTheClustersIsRefusedWithOneLine() throws Exception {
    CapturedRun k = run("", "-s", cluster.serverFile.toString(), "--strong", "-k", "2", "-c", "GET a");
    assertThat(k.code()).isEqualTo(2);
    assertThat(k.err()).isEqualTo("kvBroker: -k 2 differs from this cluster's 3 (recorded in the data directory of "
        + cluster.address(0) + ", as its INFO reports)\n");
    Path two = Files.writeString(dir.resolve("two.txt"), String.join("\n",
        Files.readAllLines(cluster.serverFile).subList(0, 3)) + "\n");
    CapturedRun file = run("", "-s", two.toString(), "--strong", "-c", "GET a");
    assertThat(file.code()).isEqualTo(2);
    assertThat(file.err()).startsWith("kvBroker: " + two + " lacks " + cluster.address(2) + " (in this cluster)");
    assertThat(run("", "-s", cluster.serverFile.toString(), "--strong", "-k", "3", "-c", "GET a").code()).isZero();
  }

  @Test
  void strongOnlyAndEventualOnlyFlagsAreRefusedInTheOtherMode() throws Exception {
    Path file = Files.writeString(dir.resolve("eventual.txt"), "127.0.0.1 9000\n");
    CapturedRun read = run("", "-s", file.toString(), "-k", "1", "--read", "local");
    assertThat(read.code()).isEqualTo(2);
    assertThat(read.err()).contains("--read: only with --strong");
    CapturedRun noK = run("", "-s", file.toString());
    assertThat(noK.code()).isEqualTo(2);
    assertThat(noK.err()).contains("-k: missing (expected: replicas per record");
    CapturedRun badRead = run("", "-s", cluster.serverFile.toString(), "--strong", "--read", "sometimes");
    assertThat(badRead.code()).isEqualTo(2);
    assertThat(badRead.err()).contains("--read: 'sometimes' (expected: linearizable or local)");
    CapturedRun grace = run("", "-s", cluster.serverFile.toString(), "--strong", "--tombstone-grace", "1h");
    assertThat(grace.code()).isEqualTo(2);
    assertThat(grace.err()).contains("--tombstone-grace: eventual mode's (expected: not with --strong");
  }

  @Test
  void withNoServerAnsweringTheBrokerSaysWhyAndExitsWithOne() throws Exception {
    int closed = StrongTestCluster.freePort();
    Path file = Files.writeString(dir.resolve("nobody.txt"), "127.0.0.1 " + closed + "\n");
    CapturedRun run = run("", "-s", file.toString(), "--strong", "--timeout", "100ms", "-c", "GET a");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("kvBroker: no server of " + file + " answered INFO (127.0.0.1:" + closed + ": ",
        "start them first (bin/cluster start --strong)");
  }

  @Test
  void serversInEventualModeAreRefused() throws Exception {
    try (kv.server.KvServer eventual = kv.server.KvServer.start(kv.server.ServerConfig.defaults())) {
      Path file = Files.writeString(dir.resolve("ev.txt"), "127.0.0.1 " + eventual.port() + "\n");
      CapturedRun run = run("", "-s", file.toString(), "--strong", "-c", "GET a");
      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err()).contains("runs in eventual mode (no raft_groups in INFO); --strong needs servers started"
          + " with --strong");
    }
  }
}
