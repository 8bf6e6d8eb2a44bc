package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kv.e2e.Launchers.Server;
import kv.e2e.Linearizability.Op;
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
 * Strong mode through the broker with real processes: three {@code bin/kvServer --strong}
 * servers with two Raft groups (k = 3) and {@code bin/kvBroker --strong --port 0} in front.
 * Clients write (PUT, DELETE, APPEND) and read through the broker's RESP port while the leader
 * of one group, then of the other, is killed with SIGKILL and restarted with the same command:
 * no acknowledged write is lost, none applied twice (APPENDs included), and the history is
 * linearizable per key. With two of three down every
 * answer is a NOQUORUM error naming the group and its members down (never a stale value, never
 * nil for a key that exists); restarting them brings everything back. A network partition that
 * leaves a group's leader alone (the broker on the majority's side) moves the group to a new
 * leader, and once healed the old leader serves the writes it missed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrongBrokerIT {
  private static final String[] TWO_GROUPS = {"--groups", "2"};
  @TempDir static Path dir;
  private static StrongProcesses cluster;
  private static Server broker;

  @BeforeAll
  static void start() throws Exception {
    cluster = StrongProcesses.start(dir, TWO_GROUPS, TWO_GROUPS, TWO_GROUPS);
    broker = cluster.broker();
    await().atMost(StrongProcesses.WAIT).ignoreExceptions().until(() -> put("ready", "{ \"x\" : 1 }").equals("OK"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Jedis jedis() {
    return StrongProcesses.jedis(broker);
  }

  private static String put(String key, String value) {
    try (Jedis jedis = jedis()) {
      return new String((byte[]) jedis.sendCommand(() -> "PUT".getBytes(), key, value));
    }
  }

  private static String status(Jedis jedis) {
    return new String((byte[]) jedis.sendCommand(() -> "STATUS".getBytes()));
  }

  /* Until the broker's probe sees every member of every group up again. */
  private static void awaitAllMembersUp() {
    await().atMost(StrongProcesses.WAIT).ignoreExceptions().until(() ->
        "3".equals(StrongProcesses.raftField(broker, "group0", "members_up"))
            && "3".equals(StrongProcesses.raftField(broker, "group1", "members_up")));
  }

  @Test
  @Order(1)
  void killedLeadersLoseNoAcknowledgedWriteApplyNoneTwiceAndTheHistoryIsLinearizable() throws Exception {
    RouterLoad load = new RouterLoad(broker.port(), 4);
    await().atMost(StrongProcesses.WAIT).until(() -> load.acknowledgedWritesStartedAfter(0) > 100);
    List<Long> failovers = new ArrayList<>();
    for (int group = 0; group < 2; group++) {
      int leader = cluster.index(StrongProcesses.leader(broker, group));
      long killed = System.nanoTime();
      cluster.kill(leader);
      await().atMost(StrongProcesses.WAIT).until(() -> load.acknowledgedWritesStartedAfter(killed) > 100);
      failovers.add((load.firstAcknowledgedWriteEndAfter(killed) - killed) / 1_000_000);
      cluster.startServer(leader);
      long restarted = System.nanoTime();
      awaitAllMembersUp();
      await().atMost(StrongProcesses.WAIT).until(() -> load.acknowledgedWritesStartedAfter(restarted) > 100);
    }
    List<Op> history = load.finish();
    Map<String, String> own = load.expectedOwnValues();
    try (Jedis jedis = jedis()) {
      for (Map.Entry<String, String> e : own.entrySet()) {
        assertThat(jedis.get(e.getKey())).as("the last acknowledged write to %s", e.getKey()).isEqualTo(e.getValue());
      }
      for (int k = 0; k < RouterLoad.SHARED_KEYS; k++) {
        long start = System.nanoTime();
        String v = jedis.get("shared" + k);
        history.add(Op.get(99, "shared" + k, v, start, System.nanoTime()));
      }
    }
    System.out.printf("StrongBrokerIT: %d operations, %d writes acknowledged, %d with unknown outcome, %d reads"
        + " failed, %d APPENDs acknowledged; first acknowledged write (any group) after each leader's SIGKILL: %s ms%n",
        history.size(), load.acknowledgedWrites.get(), load.unknownWrites.get(), load.failedReads.get(),
        load.acknowledgedAppends(), failovers);
    java.nio.file.Files.write(java.nio.file.Path.of("target/StrongBrokerIT-history.txt"),
        history.stream().map(Op::toString).toList());
    List<String> lists;
    try (Jedis jedis = jedis()) {
      lists = load.checkLists(jedis::get);
    }
    assertThat(load.violations).isEmpty();
    assertThat(lists).as("each client's APPENDs to its list: none lost, none applied twice").isEmpty();
    assertThat(load.acknowledgedAppends()).as("APPENDs acknowledged").isPositive();
    assertThat(own).as("clients whose own key's state is known at the end").isNotEmpty();
    assertThat(Linearizability.check(history)).isEmpty();
  }

  @Test
  @Order(2)
  void withTwoOfThreeDownEveryAnswerIsNoQuorumAndRestartsBringAllBack() throws Exception {
    awaitAllMembersUp();
    assertThat(put("kept", "{ \"v\" : \"before\" }")).isEqualTo("OK");
    int survivor = cluster.index(StrongProcesses.leader(broker, 0));
    List<Integer> dead = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i != survivor) {
        cluster.kill(i);
        dead.add(i);
      }
    }
    try (Jedis jedis = jedis()) {
      assertThatThrownBy(() -> jedis.get("kept")).isInstanceOf(JedisDataException.class)
          .hasMessageMatching("NOQUORUM group [01] has no quorum: 2 of its 3 members are down \\(.*")
          .hasMessageContainingAll(cluster.address(dead.get(0)), cluster.address(dead.get(1)),
              "its keys can be neither read nor written until a majority (2) is up");
      assertThatThrownBy(() -> jedis.get("never-written")).hasMessageMatching("NOQUORUM group [01] has no quorum.*");
      assertThatThrownBy(() -> jedis.sendCommand(() -> "QUERY".getBytes(), "kept.v"))
          .hasMessageStartingWith("NOQUORUM");
      assertThatThrownBy(() -> jedis.sendCommand(() -> "PUT".getBytes(), "kept", "{ \"v\" : \"during\" }"))
          .hasMessageMatching("NOQUORUM group [01] has no quorum.*").hasMessageContaining("retrying it is safe");
      assertThatThrownBy(() -> jedis.keys("*")).hasMessageStartingWith("NOQUORUM");
      assertThatThrownBy(jedis::dbSize).hasMessageStartingWith("NOQUORUM");
      await().atMost(StrongProcesses.WAIT).until(() -> status(jedis).contains("3 servers: 1 up, 2 down"));
      assertThat(status(jedis)).contains("1 of 3 (down: ", cluster.address(dead.get(0)), cluster.address(dead.get(1)))
          .contains("2 without a quorum (their keys get NOQUORUM errors)");
    }
    for (int i : dead) {
      cluster.startServer(i);
    }
    awaitAllMembersUp();
    await().atMost(StrongProcesses.WAIT).ignoreExceptions().until(() -> {
      try (Jedis jedis = jedis()) {
        jedis.get("kept");
        return true;
      }
    });
    try (Jedis jedis = jedis()) {
      // the PUT answered NOQUORUM may or may not have applied; the PUT before it is not lost
      assertThat(jedis.get("kept")).isIn("{ \"v\" : \"before\" }", "{ \"v\" : \"during\" }");
      assertThat(new String((byte[]) jedis.sendCommand(() -> "PUT".getBytes(), "kept", "{ \"v\" : \"after\" }")))
          .isEqualTo("OK");
      assertThat(jedis.get("kept")).isEqualTo("{ \"v\" : \"after\" }");
      assertThat(jedis.keys("*")).contains("kept", "ready");
      await().atMost(StrongProcesses.WAIT).until(() -> status(jedis).contains("all with a quorum"));
    }
  }

  @Test
  @Order(3)
  void aLeaderCutOffWithTheMinorityIsReplacedAndCatchesUpWhenHealed() throws Exception {
    awaitAllMembersUp();
    assertThat(put("split", "{ \"v\" : \"before\" }")).isEqualTo("OK");
    String oldLeader = StrongProcesses.leader(broker, 0);
    int alone = cluster.index(oldLeader);
    cluster.partition(Set.of(alone), List.of());
    try {
      // the majority's side (with the broker) elects a leader and takes writes and reads
      await().atMost(StrongProcesses.WAIT).ignoreExceptions().until(() ->
          put("split", "{ \"v\" : \"during\" }").equals("OK"));
      try (Jedis jedis = jedis()) {
        assertThat(jedis.get("split")).isEqualTo("{ \"v\" : \"during\" }");
      }
      // the broker's probe sees the new leader once its next round asked the members
      await().atMost(StrongProcesses.WAIT).ignoreExceptions().until(
          () -> StrongProcesses.raftField(broker, "group0", "leader"),
          l -> l != null && !l.equals("none") && !l.equals(oldLeader));
    } finally {
      cluster.heal();
    }
    awaitAllMembersUp();
    try (Jedis old = new Jedis("127.0.0.1", cluster.ports[alone], 60_000)) {
      // the old leader's own RESP port answers through the group: the write it missed, never its old value
      assertThat(await().atMost(StrongProcesses.WAIT).ignoreExceptions().until(() -> old.get("split"), v -> v != null))
          .isEqualTo("{ \"v\" : \"during\" }");
    }
    try (Jedis jedis = jedis()) {
      assertThat(jedis.get("split")).isEqualTo("{ \"v\" : \"during\" }");
    }
  }
}
