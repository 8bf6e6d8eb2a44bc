package kv.broker.strong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kv.broker.command.Command;
import kv.broker.command.CommandExecutor;
import kv.broker.command.CommandParser;
import kv.broker.command.StatusTable;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.Outcome;
import kv.broker.router.RouterCommands;
import kv.broker.router.RouterServer;
import kv.broker.testing.Await;
import kv.broker.transport.netty.IoThreads;
import kv.raft.ClientOptions;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The strong engine over three real strong-mode kvServers in this JVM (two Raft groups, k = 3):
 * every command, the router's replies and INFO, MULTI/EXEC, a stopped leader, and two of three
 * servers down (NOQUORUM naming the group and its down members, never NOT FOUND), then all back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrongEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir static Path dir;
  private static StrongTestCluster cluster;
  private static final IoThreads io = IoThreads.start();
  private static StrongEngine engine;
  private static CommandParser parser = new CommandParser(new RecordParser());
  private static CommandExecutor executor;
  private static RouterServer router;

  @BeforeAll
  static void start() throws Exception {
    cluster = StrongTestCluster.start(dir, 3, 3, 2);
    engine = StrongEngine.start(cluster.identity(), ClientOptions.ReadMode.LINEARIZABLE, Duration.ofMillis(200),
        io.scheduler());
    executor = new CommandExecutor(engine, Duration.ofSeconds(30));
    RouterCommands commands = new RouterCommands(engine, parser, Duration.ofSeconds(30),
        Map.of("kv_version", "test", "mode", "strong"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
    Await.until("a first write", WAIT, () -> run("PUT ready : { \"x\" : 1 }") instanceof Outcome.Written);
  }

  @AfterAll
  static void stop() {
    if (router != null) {
      router.close();
    }
    if (engine != null) {
      engine.close();
    }
    io.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  static Outcome run(String line) {
    try {
      Command command = parser.parseLine(line).orElseThrow();
      return executor.execute(command).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  private static Jedis jedis() {
    return new Jedis("127.0.0.1", router.port(), 60_000);
  }

  private static Object send(Jedis jedis, String command, String... args) {
    Object r = jedis.sendCommand(() -> command.getBytes(), args);
    return r instanceof byte[] b ? new String(b) : r;
  }

  @Test
  @Order(1)
  void everyCommandGoesThroughTheKeysGroup() {
    assertThat(run("PUT person1 : { \"name\" : \"John\" ; \"age\" : 22 ; \"tags\" : [ \"a\" ; \"b\" ] }"))
        .isEqualTo(new Outcome.Written("person1", 1, 1));
    assertThat(run("GET person1")).isEqualTo(new Outcome.Found("person1",
        "{ \"name\" : \"John\" ; \"age\" : 22 ; \"tags\" : [ \"a\" ; \"b\" ] }"));
    assertThat(run("QUERY person1.age")).isInstanceOfSatisfying(Outcome.QueryValue.class,
        q -> assertThat(q.value()).isEqualTo(new kv.record.IntValue(22)));
    assertThat(run("QUERY person1.phone")).isEqualTo(new Outcome.NotFound("person1"));
    assertThat(run("GET nobody")).isEqualTo(new Outcome.NotFound("nobody"));
    assertThat(run("PUT person2 : { \"name\" : \"Mary\" }")).isInstanceOf(Outcome.Written.class);
    assertThat(run("KEYS person*")).isEqualTo(new Outcome.Keys(List.of("person1", "person2")));
    assertThat(run("EXISTS person1 person2 nobody")).isEqualTo(new Outcome.Count(2));
    assertThat(run("DBSIZE")).isEqualTo(new Outcome.Count(3));
    assertThat(run("DELETE person2")).isEqualTo(new Outcome.Deleted("person2"));
    assertThat(run("DELETE person2")).isEqualTo(new Outcome.NotFound("person2"));
    assertThat(run("GET person2")).isEqualTo(new Outcome.NotFound("person2"));
    assertThat(engine.replicasOf("person1")).containsExactlyInAnyOrder(cluster.address(0), cluster.address(1),
        cluster.address(2));
  }

  @Test
  @Order(2)
  void theRouterAnswersAsAStrongServerWouldAndItsInfoHasARaftSection() {
    try (Jedis jedis = jedis()) {
      assertThat(send(jedis, "PUT", "person3", "{ \"name\" : \"Ann\" }")).isEqualTo("OK");
      assertThat(jedis.get("person3")).isEqualTo("{ \"name\" : \"Ann\" }");
      assertThatThrownBy(() -> send(jedis, "PUT", "bad", "{ \"x\" : }")).isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("ERR invalid record");
      // Each group elects its leader on its own: the one person3 went to may have, the other not yet.
      Await.until("a leader of every group in INFO", WAIT, () -> {
        String now = jedis.info();
        return now.contains("group0:leader=127.0.0.1:") && now.contains("group1:leader=127.0.0.1:");
      });
      String info = jedis.info();
      assertThat(info).contains("mode:strong", "# Raft\r\n", "raft_groups:2\r\n", "raft_k:3\r\n",
          "raft_read:linearizable\r\n", "group0:leader=127.0.0.1:", ",raft_term=", ",commit_idx=", ",last_applied=",
          ",has_quorum=1,", "partner_node_status_server_" + cluster.address(0) + "=2", "raft_server0:address=");
      Await.until("every server up in INFO", WAIT, () -> jedis.info().contains("servers_up:3"));
    }
    String table = StatusTable.format(engine.status(), Clock.systemUTC().instant());
    assertThat(table).contains("SERVER", "ROLE", "LEADER OF", "FOLLOWER OF", "3 servers: 3 up, 0 down",
        "GROUP  LEADER", "3 of 3", "2 Raft groups (k = 3), all with a quorum; reads: linearizable");
  }

  @Test
  @Order(3)
  void multiExecIsAtomicWithinAGroupAndRefusedAcrossGroups() {
    List<String> group0 = new ArrayList<>();
    String other = null;
    for (int i = 0; group0.size() < 2 || other == null; i++) {
      String key = "t" + i;
      if (engine.layout().groupOf(key) == 0) {
        group0.add(key);
      } else if (other == null) {
        other = key;
      }
    }
    String a = group0.get(0);
    String b = group0.get(1);
    try (Jedis jedis = jedis()) {
      assertThat(send(jedis, "MULTI")).isEqualTo("OK");
      assertThat(send(jedis, "PUT", a, "{ \"n\" : 1 }")).isEqualTo("QUEUED");
      assertThat(send(jedis, "PUT", b, "{ \"n\" : 1 }")).isEqualTo("QUEUED");
      assertThat(send(jedis, "GET", a)).isEqualTo("QUEUED");
      assertThat(send(jedis, "DEL", b)).isEqualTo("QUEUED");
      assertThat(send(jedis, "EXISTS", a, b)).isEqualTo("QUEUED");
      List<?> replies = (List<?>) jedis.sendCommand(() -> "EXEC".getBytes());
      assertThat(replies).hasSize(5);
      assertThat(new String((byte[]) replies.get(0))).isEqualTo("OK");
      assertThat(new String((byte[]) replies.get(2))).isEqualTo("{ \"n\" : 1 }");
      assertThat(replies.get(3)).isEqualTo(1L);
      assertThat(replies.get(4)).as("the reads see the transaction's own writes before them").isEqualTo(1L);

      assertThat(send(jedis, "MULTI")).isEqualTo("OK");
      assertThat(send(jedis, "PUT", a, "{ \"n\" : 2 }")).isEqualTo("QUEUED");
      String otherKey = other;
      assertThatThrownBy(() -> send(jedis, "GET", otherKey)).isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("CROSSSLOT the keys of this transaction are in 2 Raft groups (group 0: '" + a
              + "'; group 1: '" + otherKey + "')");
      assertThatThrownBy(() -> jedis.sendCommand(() -> "EXEC".getBytes())).hasMessageStartingWith("EXECABORT");
      assertThat(jedis.get(a)).as("nothing of a refused transaction applied").isEqualTo("{ \"n\" : 1 }");
    }
  }

  @Test
  @Order(4)
  void aStoppedLeaderIsReplacedAndStatusShowsTheNewOne() {
    String leader = leader();
    int index = cluster.index(leader);
    cluster.stop(index);
    try {
      Await.until("a write after the leader stopped", WAIT, () -> run("PUT after : { \"n\" : 1 }") instanceof Outcome.Written);
      assertThat(run("GET person1")).isInstanceOf(Outcome.Found.class);
      Await.until("status shows a new leader and the old one DOWN", WAIT, () -> {
        String now = leader();
        return now != null && !now.equals(leader) && !engine.status().servers().get(index).up();
      });
      assertThat(StatusTable.format(engine.status(), Clock.systemUTC().instant()))
          .contains(leader + "  DOWN", "2 of 3 (down: " + leader + ")", "3 servers: 2 up, 1 down");
    } finally {
      cluster.start(index);
    }
    Await.until("the old leader back in the status", WAIT, () -> engine.status().up() == 3);
  }

  @Test
  @Order(5)
  void withTwoOfThreeDownEveryAnswerIsNoQuorumNamingTheGroupAndItsDownMembersNeverNotFound() throws Exception {
    assertThat(run("PUT kept : { \"v\" : \"before\" }")).isInstanceOf(Outcome.Written.class);
    String leader = leader();
    List<Integer> dead = new ArrayList<>();
    for (int i : cluster.indexes()) {
      if (!cluster.address(i).equals(leader)) {
        cluster.stop(i);
        dead.add(i);
      }
    }
    String a = cluster.address(dead.get(0));
    String b = cluster.address(dead.get(1));
    try {
      for (String line : List.of("GET kept", "GET never-written", "QUERY kept.v", "DELETE kept", "KEYS *", "DBSIZE",
          "EXISTS kept")) {
        assertThat(run(line)).as(line).isInstanceOfSatisfying(Outcome.Unanswered.class, u -> {
          assertThat(u.code()).isEqualTo("NOQUORUM");
          String g = groupOf(line);
          assertThat(u.message()).matches("group " + (g.isEmpty() ? "\\d+" : g)
              + " has no quorum: 2 of its 3 members are down \\(.*")
              .containsAnyOf("(" + a + ", " + b + ")", "(" + b + ", " + a + ")");
        });
      }
      assertThat(run("PUT kept : { \"v\" : \"during\" }")).isInstanceOfSatisfying(Outcome.Unanswered.class,
          u -> assertThat(u.message()).contains("may still apply when the group recovers; retrying it is safe"));
      try (Jedis jedis = jedis()) {
        assertThatThrownBy(() -> jedis.get("kept")).isInstanceOf(JedisDataException.class)
            .hasMessageStartingWith("NOQUORUM group " + engine.layout().groupOf("kept")
                + " has no quorum: 2 of its 3 members are down (")
            .hasMessageContainingAll(a, b);
        assertThatThrownBy(() -> jedis.keys("*")).hasMessageStartingWith("NOQUORUM group ");
      }
      Await.until("status shows the group without quorum", WAIT,
          () -> StatusTable.format(engine.status(), Clock.systemUTC().instant()).contains("1 of 3 (down: "));
    } finally {
      for (int i : dead) {
        cluster.start(i);
      }
    }
    Await.until("the group answers again", WAIT, () -> run("GET kept") instanceof Outcome.Found);
    assertThat(((Outcome.Found) run("GET kept")).set()).isIn("{ \"v\" : \"before\" }", "{ \"v\" : \"during\" }");
    assertThat(run("PUT kept : { \"v\" : \"after\" }")).isInstanceOf(Outcome.Written.class);
    assertThat(run("GET kept")).isEqualTo(new Outcome.Found("kept", "{ \"v\" : \"after\" }"));
  }

  /* The group of the command's key; the keyspace commands fail with the first group that has no quorum. */
  private static String groupOf(String line) {
    String[] words = line.split(" ");
    if (words.length < 2 || words[1].equals("*")) {
      return "";
    }
    return Integer.toString(engine.layout().groupOf(words[1].split("\\.")[0]));
  }

  /** The group's leader as the engine's last probe saw it, or null. */
  private static String leader() {
    engine.refreshStatus();
    EngineStatus.Section raft = engine.status().sections().get(0);
    String line = raft.values().get("group0");
    String leader = line.substring("leader=".length(), line.indexOf(','));
    return leader.equals("none") ? null : leader;
  }
}
