package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import kv.record.Limits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Issue 12, scenario 9: one nesting limit at the door, in the log and at replay, bounded by what
 * the parser's stack can take. Real processes: a record is acknowledged by one JVM and replayed
 * by the next one after SIGKILL.
 */
class DepthLimitProcessTest {
  private static final int BOUND = Limits.MAX_DEPTH;

  @TempDir
  Path tmp;
  Path work;

  @BeforeEach
  void workDir() throws IOException {
    work = Files.createDirectory(tmp.resolve("work"));
  }

  /** A set {@code depth} levels deep ({ "a" : { "a" : ... } }), {@code innermost} at the bottom. */
  static String nested(int depth, String innermost) {
    return "{ \"a\" : ".repeat(depth - 1) + innermost + " }".repeat(depth - 1);
  }

  @Test
  void aMaxDepthBeyondTheBoundIsAUsageErrorAtStart() throws Exception {
    for (String depth : new String[] {Integer.toString(BOUND + 1), "10000"}) {
      ServerProcess.Failed run = ServerProcess.startFailing(work, "-p", "0", "--data-dir", "data", "--max-depth", depth);
      assertThat(run.exitCode()).as("--max-depth %s", depth).isEqualTo(2);
      assertThat(run.stderr()).first().asString().isEqualTo("kvServer: max-depth: " + depth + " (expected: 1.."
          + BOUND + ")");
      assertThat(run.stdout()).isEmpty();
    }
  }

  @Test
  void aRecordAtTheBoundIsServedAndReplayedAndDeeperOnesGetAClearError() throws Exception {
    String deepest = nested(BOUND - 1, "{ \"leaf\" : 1 ; \"list\" : [ 2 ] }");
    String path = "k" + ".a".repeat(BOUND - 2) + ".list.0";
    String[] args = {"-p", "0", "--data-dir", "data", "--quiet", "--max-depth", Integer.toString(BOUND)};
    try (ServerProcess server = ServerProcess.start(work, args); Jedis jedis = server.client()) {
      assertThat(send(jedis, Cmd.PUT, "k", deepest)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.GET, "k")).isEqualTo(deepest);
      assertThat(send(jedis, Cmd.QUERY, path)).isEqualTo("2");
      assertThat(send(jedis, Cmd.VPUT, "v", "1", deepest)).isEqualTo(1L);
      for (int depth : new int[] {BOUND + 1, 1800, 100_000}) {
        assertThat(error(jedis, Cmd.PUT, "deeper", nested(depth, "{}")))
            .as("depth %d", depth)
            .startsWith("ERR invalid record: nesting too deep: depth " + (BOUND + 1) + " (expected: <= " + BOUND + ")");
      }
      server.kill();
    }
    try (ServerProcess again = ServerProcess.start(work, args); Jedis jedis = again.client()) {
      assertThat(send(jedis, Cmd.GET, "k")).isEqualTo(deepest);
      assertThat(send(jedis, Cmd.GET, "v")).isEqualTo(deepest);
    }
  }
}
