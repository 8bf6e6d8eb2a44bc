package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kv.e2e.Launchers.Result;
import kv.e2e.Launchers.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Strong mode started as the README tells a user: {@code bin/cluster start --strong} (three
 * servers of a server file on free ports) and {@code bin/kvBroker --strong}: PUT and GET through
 * the broker, {@code status} shows the group's leader; the leader killed with SIGKILL, status
 * shows a new one while the broker keeps working, and {@code bin/cluster start} (no flag) brings
 * the killed server back in strong mode with its data.
 */
class StrongLauncherIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  @TempDir Path dir;
  private Path serverFile;
  private final int[] ports = new int[3];
  private final List<Server> brokers = new ArrayList<>();

  private Result cluster(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-s", serverFile.toString()));
    Result r = Launchers.run(Launchers.bin("cluster", all.toArray(new String[0])), "", Duration.ofMinutes(3));
    assertThat(r.exitCode()).as("bin/cluster %s: %s%s", all, r.stdout(), r.stderr()).isZero();
    return r;
  }

  private String address(int i) {
    return "127.0.0.1:" + ports[i];
  }

  private int index(String address) {
    for (int i = 0; i < 3; i++) {
      if (address(i).equals(address)) {
        return i;
      }
    }
    throw new AssertionError("not a server of the test: " + address);
  }

  /** The prompt's {@code status}, as {@code bin/kvBroker -s FILE --strong -c status} prints it. */
  private String status() throws Exception {
    Result r = Launchers.run(Launchers.bin("kvBroker", "-s", serverFile.toString(), "--strong", "-c", "status"), "",
        Duration.ofMinutes(2));
    assertThat(r.exitCode()).as("kvBroker -c status: %s%s", r.stdout(), r.stderr()).isZero();
    return r.stdout();
  }

  @AfterEach
  void stop() throws Exception {
    for (Server b : brokers) {
      b.close();
    }
    if (serverFile != null) {
      cluster("stop");
      for (int port : ports) {
        Path data = Launchers.ROOT.resolve("run/cluster/strong/127.0.0.1-" + port);
        if (Files.exists(data)) {
          try (Stream<Path> walk = Files.walk(data)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        }
      }
    }
  }

  @Test
  void clusterStartStrongAndABrokerServeAndAKilledLeaderIsReplacedAndComesBack() throws Exception {
    StringBuilder file = new StringBuilder("# StrongLauncherIT: three servers on free ports\n");
    for (int i = 0; i < 3; i++) {
      ports[i] = Launchers.freePort();
      file.append("127.0.0.1 ").append(ports[i]).append('\n');
    }
    serverFile = Files.writeString(dir.resolve("serverFile.txt"), file);

    Result started = cluster("start", "--strong", "--fresh");
    for (int i = 0; i < 3; i++) {
      assertThat(started.stdout()).contains(address(i) + " started (pid ")
          .contains("strong mode, data run/cluster/strong/127.0.0.1-" + ports[i] + ",");
    }
    assertThat(cluster("status").lines()).filteredOn(l -> l.startsWith("127.0.0.1:"))
        .hasSize(3).allMatch(l -> l.matches("\\S+\\s+up\\s+strong\\s+\\d+"));

    Server broker = Launchers.startBroker(dir, "-s", serverFile.toString(), "--strong", "--port", "0");
    brokers.add(broker);
    try (Jedis jedis = new Jedis("127.0.0.1", broker.port(), 60_000)) {
      await().atMost(WAIT).ignoreExceptions().until(() ->
          "OK".equals(new String((byte[]) jedis.sendCommand(() -> "PUT".getBytes(), "person1", "{ \"name\" : \"Ada\" }"))));
      assertThat(jedis.get("person1")).isEqualTo("{ \"name\" : \"Ada\" }");
    }

    String before = status();
    assertThat(before).contains("3 servers: 3 up, 0 down").contains("1 Raft group (k = 3), all with a quorum")
        .contains("reads: linearizable");
    String leader = StrongProcesses.leader(broker, 0);
    assertThat(before).containsPattern("(?m)^\\s*0\\s+" + leader.replace(".", "\\.") + "\\s+\\d+\\s+\\d+\\s+\\d+\\s+3 of 3");

    int killed = index(leader);
    Path pidFile = Launchers.ROOT.resolve("run/cluster/kvServer-127.0.0.1-" + ports[killed] + ".pid");
    ProcessHandle server = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
    server.destroyForcibly(); // kill -9
    server.onExit().get(30, TimeUnit.SECONDS);

    try (Jedis jedis = new Jedis("127.0.0.1", broker.port(), 60_000)) {
      assertThat(new String((byte[]) jedis.sendCommand(() -> "PUT".getBytes(), "person2", "{ \"name\" : \"Bo\" }")))
          .isEqualTo("OK");
      assertThat(jedis.get("person1")).isEqualTo("{ \"name\" : \"Ada\" }");
    }
    String dead = leader.replace(".", "\\.");
    Pattern newLeaderRow = Pattern.compile("(?m)^\\s*0\\s+(?!" + dead
        + ")(127\\.0\\.0\\.1:\\d+)\\s+\\d+\\s+\\d+\\s+\\d+\\s+2 of 3 \\(down: " + dead + "\\)");
    String after = await().atMost(WAIT).until(this::status,
        s -> s.contains("3 servers: 2 up, 1 down") && newLeaderRow.matcher(s).find());
    assertThat(after).as("the killed server's row").containsPattern("(?m)^\\s*" + dead + "\\s+DOWN");

    Result restart = cluster("start");
    assertThat(restart.stdout()).contains(leader + " started (pid").contains("strong mode")
        .contains(address((killed + 1) % 3) + " already running (pid");
    await().atMost(WAIT).ignoreExceptions().until(() -> "3".equals(StrongProcesses.raftField(broker, "group0", "members_up")));
    try (Jedis restarted = new Jedis("127.0.0.1", ports[killed], 60_000)) {
      // the restarted server answers from the group too (its RESP port routes to the leader)
      assertThat(await().atMost(WAIT).ignoreExceptions().until(() -> restarted.get("person2"), v -> v != null))
          .isEqualTo("{ \"name\" : \"Bo\" }");
    }
  }
}
