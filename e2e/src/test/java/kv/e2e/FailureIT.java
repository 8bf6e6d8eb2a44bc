package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kv.e2e.Launchers.Result;
import kv.e2e.Launchers.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * SPEC.md §6 failure rules with real processes: a generated dataset indexed with k = 2 on three
 * servers, then servers killed with SIGKILL one after the other.
 */
class FailureIT {
  private static final int RECORDS = 200;
  @TempDir Path dir;
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Server s : servers) {
      s.close();
    }
  }

  @Test
  void answersStayExactWhileServersDie() throws Exception {
    servers.addAll(Launchers.startServers(dir, 3));
    Path serverFile = Launchers.serverFile(dir, servers);
    Path data = dir.resolve("data.txt");
    Result gen = Launchers.run(Launchers.bin("createData", "-k", Launchers.ROOT.resolve("keyFile.txt").toString(),
        "-n", String.valueOf(RECORDS), "-d", "2", "-l", "6", "-m", "4", "--seed", "7", "-o", data.toString()),
        "", Duration.ofSeconds(60));
    assertThat(gen.exitCode()).as(gen.stderr()).isZero();
    List<String> lines = Files.readAllLines(data);
    assertThat(lines).hasSize(RECORDS);

    Result index = broker(serverFile, "-i", data.toString(), "-c", "GET person1");
    assertThat(index.exitCode()).as(index.stderr()).isZero();
    assertThat(index.lines()).containsExactly(lines.get(0));

    // every record is on exactly k = 2 servers
    List<Set<Integer>> holders = new ArrayList<>();
    for (int i = 1; i <= RECORDS; i++) {
      Set<Integer> on = new HashSet<>();
      for (int s = 0; s < servers.size(); s++) {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.get(s).port())) {
          if (jedis.get("person" + i) != null) {
            on.add(s);
          }
        }
      }
      assertThat(on).as("servers holding person%d", i).hasSize(2);
      holders.add(on);
    }

    servers.get(0).kill();
    String dead0 = servers.get(0).address();
    Result reads = broker(serverFile, getAll());
    assertThat(reads.lines()).as("one server down: every read still right; stderr:%n%s", reads.stderr())
        .containsExactlyElementsOf(lines);
    assertThat(reads.exitCode()).isZero();

    StringBuilder deletes = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      deletes.append("DELETE person").append(i).append('\n');
    }
    Result del = broker(serverFile, deletes.toString());
    List<String> delLines = del.lines();
    assertThat(delLines).hasSize(30);
    Set<Integer> deleted = new HashSet<>();
    for (int i = 1; i <= 30; i++) {
      String line = delLines.get(i - 1);
      if (holders.get(i - 1).contains(0)) {
        assertThat(line).as("DELETE person%d (a replica on the killed server)", i)
            .startsWith("ERROR: ").contains(dead0);
      } else {
        assertThat(line).as("DELETE person%d (both replicas up)", i).isEqualTo("OK");
        deleted.add(i);
      }
    }
    assertThat(deleted).as("some deletes were possible").isNotEmpty();

    servers.get(1).kill();
    Result last = broker(serverFile, getAll());
    List<String> got = last.lines();
    assertThat(got).hasSize(RECORDS);
    for (int i = 1; i <= RECORDS; i++) {
      String line = got.get(i - 1);
      if (!holders.get(i - 1).contains(2)) {
        assertThat(line).as("person%d has both replicas down", i).startsWith("WARNING");
      } else if (deleted.contains(i)) {
        assertThat(line).as("person%d was deleted", i).isEqualTo("NOT FOUND");
      } else {
        assertThat(line).as("person%d has a live replica", i).isEqualTo(lines.get(i - 1));
      }
    }
    assertThat(last.exitCode()).as("warnings make the exit code non-zero").isNotZero();
  }

  private static String getAll() {
    StringBuilder script = new StringBuilder();
    for (int i = 1; i <= RECORDS; i++) {
      script.append("GET person").append(i).append('\n');
    }
    return script.toString();
  }

  private Result broker(Path serverFile, String script) throws Exception {
    return Launchers.run(Launchers.bin("kvBroker", "-s", serverFile.toString(), "-k", "2"),
        script, Duration.ofSeconds(60));
  }

  private Result broker(Path serverFile, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-s", serverFile.toString(), "-k", "2"));
    all.addAll(List.of(args));
    return Launchers.run(Launchers.bin("kvBroker", all.toArray(new String[0])), "", Duration.ofSeconds(60));
  }
}
