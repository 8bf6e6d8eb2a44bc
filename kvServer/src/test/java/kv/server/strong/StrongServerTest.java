package kv.server.strong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Strong-mode kvServers in this JVM, three of them, talked to with Jedis. */
class StrongServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void everyServerAnswersEveryCommandThroughRaft(@TempDir Path dir) throws Exception {
    try (StrongServers cluster = StrongServers.start(dir, 3, 3, 2);
        Jedis a = cluster.jedis(0); Jedis b = cluster.jedis(1); Jedis c = cluster.jedis(2)) {
      assertThat(a.sendCommand(() -> "PUT".getBytes(), "person1", "{ \"name\" : \"John\" ; \"age\" : 22 }"))
          .isEqualTo("OK".getBytes());
      // linearizable: a write acknowledged by one server is seen through any other
      assertThat(b.get("person1")).isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }".substring(10));
      assertThat(new String((byte[]) c.sendCommand(() -> "QUERY".getBytes(), "person1.age"))).isEqualTo("22");
      assertThat(c.get("nobody")).isNull();
      // many keys, pipelined, spread over both groups; answered in order
      Pipeline p = a.pipelined();
      List<Response<Object>> puts = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        puts.add(p.sendCommand(() -> "PUT".getBytes(), "k" + i, "{ \"n\" : " + i + " }"));
      }
      p.sync();
      for (Response<Object> r : puts) {
        assertThat(r.get()).isEqualTo("OK".getBytes());
      }
      Pipeline q = b.pipelined();
      List<Response<String>> gets = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        gets.add(q.get("k" + i));
      }
      q.sync();
      for (int i = 0; i < 400; i++) {
        assertThat(gets.get(i).get()).isEqualTo("{ \"n\" : " + i + " }");
      }
      // keys in both groups: EXISTS and DELETE sum one request per key
      assertThat(c.exists("k1", "k2", "k3", "nobody")).isEqualTo(3);
      assertThat(c.del("k1", "k2", "nobody")).isEqualTo(2);
      assertThat(a.exists("k1", "k2")).isZero();
      assertThat(a.dbSize()).isEqualTo(399);
      assertThat(b.keys("k1*")).hasSize(110).doesNotContain("k1").contains("k10", "k199");
      Set<String> scanned = new HashSet<>();
      String cursor = "0";
      do {
        ScanResult<String> page = c.scan(cursor, new ScanParams().match("k*").count(50));
        for (String k : page.getResult()) {
          assertThat(scanned.add(k)).as("each key once: %s", k).isTrue();
        }
        cursor = page.getCursor();
      } while (!cursor.equals("0"));
      assertThat(scanned).hasSize(398);
      // errors of the commands themselves are normal replies
      assertThatThrownBy(() -> a.sendCommand(() -> "PUT".getBytes(), "bad", "{ \"x\" : }"))
          .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR invalid record");
      assertThatThrownBy(() -> a.sendCommand(() -> "VPUT".getBytes(), "k", "1", "{}"))
          .hasMessageStartingWith("ERR 'VPUT' is a replication command of eventual mode; this server runs in"
              + " strong mode");
      assertThat(a.ping()).isEqualTo("PONG");
      String info = b.info();
      assertThat(info).contains("# Raft\r\n", "raft_groups:2\r\n", "raft_k:3\r\n", "raft_groups_hosted:0,1\r\n",
          "persistence:raft\r\n");
      assertThat(info).containsPattern("group0:state=(leader|follower),leader=127\\.0\\.0\\.1:\\d+,raft_term=\\d+,"
          + "commit_idx=\\d+,last_applied=\\d+,snapshot_idx=\\d+,has_quorum=1,members=3,members_up=3,records=\\d+,"
          + "partner_node_status_server_127\\.0\\.0\\.1:\\d+=2,partner_node_status_server_127\\.0\\.0\\.1:\\d+=2");
      assertThat(info).containsPattern("records:\\d+\r\n");
    }
  }

  @Test
  void valuesAppendAndJsonCommandsGoThroughRaftToo(@TempDir Path dir) throws Exception {
    try (StrongServers cluster = StrongServers.start(dir, 3, 3, 2);
        Jedis a = cluster.jedis(0); Jedis b = cluster.jedis(1); Jedis c = cluster.jedis(2)) {
      assertThat(a.sendCommand(() -> "SETVALUE".getBytes(), "pets", "[\"cat\",\"dog\"]")).isEqualTo("OK".getBytes());
      assertThat(b.sendCommand(() -> "APPEND".getBytes(), "pets", "\"mouse\"")).isEqualTo(3L);
      assertThat(c.get("pets")).isEqualTo("[ \"cat\" ; \"dog\" ; \"mouse\" ]");
      assertThatThrownBy(() -> c.sendCommand(() -> "APPEND".getBytes(), "pets.0", "\"x\""))
          .hasMessageContaining("the value there is a string, not a list");
      assertThat(a.sendCommand(() -> "JSON.SET".getBytes(), "doc", "$", "{\"n\":1,\"tags\":[]}"))
          .isEqualTo("OK".getBytes());
      assertThat(b.sendCommand(() -> "JSON.ARRAPPEND".getBytes(), "doc", "$.tags", "\"t\""))
          .isEqualTo(List.of(1L));
      assertThat(new String((byte[]) c.sendCommand(() -> "JSON.GET".getBytes(), "doc")))
          .isEqualTo("{\"n\":1,\"tags\":[\"t\"]}");
      // keys of both groups in one JSON.MGET: each read in its group, answered in key order
      for (int i = 0; i < 8; i++) {
        a.sendCommand(() -> "JSON.SET".getBytes(), "m" + i, "$", Integer.toString(i));
      }
      Object mget = b.sendCommand(() -> "JSON.MGET".getBytes(), "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "none", "$");
      List<String> values = new ArrayList<>();
      for (Object o : (List<?>) mget) {
        values.add(o == null ? null : new String((byte[]) o));
      }
      assertThat(values).containsExactly("[0]", "[1]", "[2]", "[3]", "[4]", "[5]", "[6]", "[7]", null);
    }
  }

  @Test
  void withTwoOfThreeDownTheLastServerSaysNoQuorumAndRestartBringsAllBack(@TempDir Path dir) throws Exception {
    try (StrongServers cluster = StrongServers.start(dir, 3, 3, 1)) {
      try (Jedis a = cluster.jedis(0)) {
        a.sendCommand(() -> "PUT".getBytes(), "person1", "{ \"name\" : \"John\" }");
      }
      cluster.stop(1);
      cluster.stop(2);
      String down = "127.0.0.1:" + cluster.ports[1] + ", 127.0.0.1:" + cluster.ports[2];
      String down2 = "127.0.0.1:" + cluster.ports[2] + ", 127.0.0.1:" + cluster.ports[1];
      try (Jedis a = cluster.jedis(0)) {
        JedisDataException read = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
            () -> a.get("person1"));
        assertThat(read.getMessage()).startsWith("NOQUORUM group 0 has no quorum: 2 of its 3 members are down (")
            .satisfiesAnyOf(m -> assertThat(m).contains(down), m -> assertThat(m).contains(down2))
            .doesNotContain("write");
        assertThatThrownBy(() -> a.sendCommand(() -> "PUT".getBytes(), "person1", "{}"))
            .hasMessageStartingWith("NOQUORUM group 0 has no quorum")
            .hasMessageContaining("This write was not acknowledged and may still apply when the group recovers;"
                + " retrying it is safe");
        assertThatThrownBy(a::dbSize).hasMessageStartingWith("NOQUORUM");
        assertThatThrownBy(() -> a.keys("*")).hasMessageStartingWith("NOQUORUM");
        assertThat(a.ping()).isEqualTo("PONG");
        // INFO learns the members' state from the group's own view, a moment after the errors do
        await().atMost(WAIT).until(() -> a.info().contains("has_quorum=0") && a.info().contains("members_up=1"));
      }
      cluster.start(1);
      cluster.start(2);
      try (Jedis a = cluster.jedis(0); Jedis c = cluster.jedis(2)) {
        await().atMost(WAIT).ignoreExceptions().until(() -> "{ \"name\" : \"John\" }".equals(a.get("person1")));
        assertThat(c.get("person1")).isEqualTo("{ \"name\" : \"John\" }");
        assertThat(a.sendCommand(() -> "PUT".getBytes(), "person2", "{}")).isEqualTo("OK".getBytes());
      }
      // and a restart of every server keeps everything (snapshots at stop, logs replayed)
      for (int i = 0; i < 3; i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < 3; i++) {
        cluster.start(i);
      }
      try (Jedis b = cluster.jedis(1)) {
        await().atMost(WAIT).ignoreExceptions().until(() -> b.dbSize() == 2);
        assertThat(b.get("person2")).isEqualTo("{}");
      }
    }
  }

  @Test
  void aStartWithAnotherClusterIdentityIsRefusedWithOneLine(@TempDir Path dir) throws Exception {
    StrongServers cluster = StrongServers.start(dir, 3, 3, 2);
    cluster.close();
    Path recorded = dir.resolve("s0").resolve("cluster.txt");
    StrongConfig same = cluster.strongConfig(0);
    assertThatThrownBy(() -> StrongNode.start(cluster.config(0), new StrongConfig(same.serverFile(), 3, 3, 0,
        same.dataDir(), same.readMode(), 0)))
        .isInstanceOf(StrongStartException.class)
        .hasMessage("--groups 3 differs from this cluster's 2 (recorded in " + recorded
            + " at this server's first start)");
    assertThatThrownBy(() -> StrongNode.start(cluster.config(0), new StrongConfig(same.serverFile(), 2, 2, 0,
        same.dataDir(), same.readMode(), 0)))
        .hasMessage("-k 2 differs from this cluster's 3 (recorded in " + recorded + " at this server's first start)");
    Path bigger = dir.resolve("bigger.txt");
    java.nio.file.Files.writeString(bigger, java.nio.file.Files.readString(same.serverFile()) + "127.0.0.1 1\n");
    assertThatThrownBy(() -> StrongNode.start(cluster.config(0), new StrongConfig(bigger, 3, 2, 0,
        same.dataDir(), same.readMode(), 0)))
        .hasMessage("the server file adds 127.0.0.1:1 (not in this cluster) (recorded in " + recorded
            + " at this server's first start)");
    assertThatThrownBy(() -> StrongNode.start(cluster.config(0).withPort(2), same))
        .hasMessageStartingWith("127.0.0.1:2 is not in " + same.serverFile() + " (expected: -a and -p naming one of"
            + " its servers: 127.0.0.1:");
  }
}
