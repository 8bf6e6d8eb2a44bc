package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** SCAN over 10,000 records with Redis clients: every matching key exactly once. */
class ScanTest {
  private static final int PEOPLE = 10_000;
  private static KvServer server;
  private static List<String> people;

  @BeforeAll
  static void load() {
    server = KvServer.start(ServerConfig.defaults());
    people = new ArrayList<>();
    try (Jedis jedis = ServerFixture.client(server)) {
      Pipeline pipeline = jedis.pipelined();
      for (int i = 1; i <= PEOPLE; i++) {
        people.add("person" + i);
        pipeline.sendCommand(Cmd.PUT, "person" + i, "{ \"i\" : " + i + " }");
      }
      for (int i = 1; i <= 300; i++) {
        pipeline.sendCommand(Cmd.PUT, (i % 2 == 0 ? "pet" : "zebra") + i, "{}");
      }
      pipeline.sync();
    }
    people.sort(null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void jedisScanVisitsEveryMatchingKeyOnce() {
    List<String> seen = new ArrayList<>();
    try (Jedis jedis = ServerFixture.client(server)) {
      String cursor = ScanParams.SCAN_POINTER_START;
      int calls = 0;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("person*").count(100));
        cursor = page.getCursor();
        assertThat(cursor).matches("0|[1-9][0-9]*");
        seen.addAll(page.getResult());
        calls++;
      } while (!cursor.equals("0") && calls < 1000);
    }
    seen.sort(null);
    assertThat(seen).isEqualTo(people);
  }

  @Test
  void redisCliScanVisitsEveryMatchingKeyOnce() throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")) || onPath("redis-cli"), "redis-cli is not installed");
    Process cli = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
        "--scan", "--pattern", "person*").redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(out.length() > 500 ? out.substring(0, 500) : out).isZero();
    List<String> seen = new ArrayList<>(out.lines().toList());
    seen.sort(null);
    assertThat(seen).isEqualTo(people);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
