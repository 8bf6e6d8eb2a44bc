package kv.broker.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import kv.broker.eventual.RealCluster;
import kv.broker.router.RouterCommands;
import kv.broker.router.RouterServer;
import kv.broker.router.RouterServerTest;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * EXISTS, DBSIZE, KEYS and SCAN on the router port in front of three real kvServers with k = 2,
 * through Jedis: deduplication across replicas, deletes, paging, and answers while servers die.
 */
class KeyspaceCommandsTest {
  private RealCluster cluster;
  private RouterServer router;
  private Jedis jedis;

  @BeforeEach
  void start() throws Exception {
    cluster = new RealCluster(3, 2);
    RouterCommands commands = new RouterCommands(cluster.service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(10), Map.of("kv_version", "test"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, cluster.io);
    jedis = new Jedis("127.0.0.1", router.port(), 15_000);
  }

  @AfterEach
  void stop() {
    jedis.close();
    router.close();
    cluster.close();
  }

  private void put(String key) {
    assertThat(text(jedis.sendCommand(RouterServerTest.Cmd.PUT, key, "{ \"k\" : \"" + key + "\" }"))).isEqualTo("OK");
  }

  /** person1..personN through the router: each on 2 of the 3 servers. */
  private TreeSet<String> putPeople(int n) {
    TreeSet<String> keys = new TreeSet<>();
    for (int i = 1; i <= n; i++) {
      put("person" + i);
      keys.add("person" + i);
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private List<String> rawKeys(String pattern) {
    List<String> keys = new ArrayList<>();
    for (Object key : (List<Object>) jedis.sendCommand(Protocol.Command.KEYS, pattern)) {
      keys.add(text(key));
    }
    return keys;
  }

  /** Every key a full SCAN returns, in the order returned, duplicates kept. */
  private List<String> scanAll(ScanParams params) {
    List<String> keys = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    int calls = 0;
    do {
      ScanResult<String> page = jedis.scan(cursor, params);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
      calls++;
      assertThat(calls).as("SCAN calls").isLessThan(10_000);
    } while (!cursor.equals("0"));
    return keys;
  }

  private String error(Runnable command) {
    try {
      command.run();
      throw new AssertionError("expected an error reply");
    } catch (JedisDataException e) {
      return e.getMessage();
    }
  }

  @Test
  void keysAndDbsizeListEachLiveKeyOnceAlthoughTwoReplicasHoldIt() {
    TreeSet<String> expected = putPeople(30);
    put("other");
    expected.add("other");
    assertThat(jedis.sendCommand(RouterServerTest.Cmd.DELETE, "person7")).isEqualTo(1L);
    expected.remove("person7");

    long copies = 0;
    for (int i = 0; i < 3; i++) {
      try (Jedis server = new Jedis("127.0.0.1", cluster.ports[i])) {
        copies += server.dbSize();
      }
    }
    assertThat(copies).as("records held by the three servers").isEqualTo(2L * expected.size());

    assertThat(rawKeys("*")).containsExactlyElementsOf(expected); // in key order, each once
    assertThat(jedis.dbSize()).isEqualTo(expected.size());
    assertThat(rawKeys("person1*")).containsExactlyElementsOf(expected.subSet("person1", "person2"));
    assertThat(rawKeys("person7")).isEmpty();
    assertThat(rawKeys("person8")).containsExactly("person8");
    assertThat(rawKeys("nobody*")).isEmpty();
    assertThat(error(() -> rawKeys("p?rson"))).contains("pattern: 'p?rson' is not supported");
  }

  @Test
  void scanWithASmallCountReturnsEveryKeyExactlyOnceAndMatchKeepsToThePrefix() {
    TreeSet<String> expected = putPeople(250);
    put("zebra");
    expected.add("zebra");
    jedis.sendCommand(RouterServerTest.Cmd.DELETE, "person100");
    expected.remove("person100");

    List<String> all = scanAll(new ScanParams().count(7));
    assertThat(all).doesNotHaveDuplicates().hasSameElementsAs(expected);
    List<String> byDefault = scanAll(new ScanParams());
    assertThat(byDefault).doesNotHaveDuplicates().hasSameElementsAs(expected);

    List<String> ones = scanAll(new ScanParams().match("person1*").count(5));
    assertThat(ones).doesNotHaveDuplicates().hasSameElementsAs(expected.subSet("person1", "person2"));

    ScanResult<String> exact = jedis.scan("0", new ScanParams().match("zebra"));
    assertThat(exact.getCursor()).isEqualTo("0");
    assertThat(exact.getResult()).containsExactly("zebra");

    assertThat(error(() -> jedis.scan("12345"))).contains("invalid cursor '12345'");
    assertThat(error(() -> jedis.scan("0", new ScanParams().count(0)))).contains("COUNT: '0'");
  }

  @Test
  void existsCountsEveryKeyThatExistsLikeGet() {
    putPeople(3);
    jedis.sendCommand(RouterServerTest.Cmd.DELETE, "person2");
    assertThat(jedis.exists("person1", "person2", "person3", "nobody", "person1")).isEqualTo(3L);
    assertThat(jedis.exists("person2")).isFalse();
    assertThat(error(() -> jedis.sendCommand(Protocol.Command.EXISTS))).contains("EXISTS key [key ...]");
  }

  @Test
  void aNewerTombstoneOnOneReplicaAndACopyOnAServerThatIsNoReplicaAreNotListed() {
    put("a");
    put("b");
    List<ServerAddress> replicasOfA = cluster.replicas("a");
    int stray = -1;
    int replica = -1;
    for (int i = 0; i < 3; i++) {
      if (!replicasOfA.contains(cluster.address(i))) {
        stray = i;
      } else {
        replica = i;
      }
    }
    // One replica of "a" alone gets a newer tombstone: GET then answers NOT FOUND.
    try (Jedis server = new Jedis("127.0.0.1", cluster.ports[replica])) {
      server.sendCommand(() -> "VDEL".getBytes(StandardCharsets.UTF_8), "a", Long.toString((System.currentTimeMillis() + 30_000) << 20));
    }
    // A server that is not a replica of "c" holds a copy the broker never reads.
    String orphan = null;
    for (int i = 0; orphan == null; i++) {
      if (!cluster.replicas("c" + i).contains(cluster.address(stray))) {
        orphan = "c" + i;
      }
    }
    try (Jedis server = new Jedis("127.0.0.1", cluster.ports[stray])) {
      server.sendCommand(() -> "VPUT".getBytes(StandardCharsets.UTF_8), orphan, "5", "{}");
    }
    assertThat(jedis.sendCommand(RouterServerTest.Cmd.GET, "a")).isNull();
    assertThat(jedis.sendCommand(RouterServerTest.Cmd.GET, orphan)).isNull();
    assertThat(rawKeys("*")).containsExactly("b");
    assertThat(jedis.dbSize()).isEqualTo(1L);
    assertThat(scanAll(new ScanParams().count(1))).containsExactly("b");
    assertThat(jedis.exists("a", orphan, "b")).isEqualTo(1L);
  }

  @Test
  void withOneOfThreeServersDownEveryKeyStillHasALiveReplica() {
    TreeSet<String> expected = putPeople(60);
    cluster.stop(0);
    assertThat(rawKeys("*")).containsExactlyElementsOf(expected);
    assertThat(jedis.dbSize()).isEqualTo(60L);
    assertThat(scanAll(new ScanParams().count(4))).doesNotHaveDuplicates().hasSameElementsAs(expected);
    assertThat(jedis.exists(expected.toArray(new String[0]))).isEqualTo(60L);
  }

  @Test
  void withTwoOfThreeServersDownTheAnswersWouldBeIncompleteSoTheyAreErrorsNamingThem() {
    TreeSet<String> expected = putPeople(40);
    String scanCursor = jedis.scan("0", new ScanParams().count(3)).getCursor();
    cluster.stop(0);
    cluster.stop(1);
    String down0 = cluster.address(0).toString();
    String down1 = cluster.address(1).toString();
    for (String message : List.of(
        error(() -> rawKeys("*")),
        error(() -> jedis.dbSize()),
        error(() -> jedis.scan("0")),
        error(() -> jedis.scan(scanCursor, new ScanParams().count(3))),
        error(() -> rawKeys("person1*")))) {
      assertThat(message).startsWith("CLUSTERDOWN 2 or more servers are down").contains(down0, down1)
          .contains("cannot guarantee a complete answer");
    }

    String onlyOnDown = null;
    String withALiveReplica = null;
    for (String key : expected) {
      boolean live = cluster.replicas(key).contains(cluster.address(2));
      if (live && withALiveReplica == null) {
        withALiveReplica = key;
      } else if (!live && onlyOnDown == null) {
        onlyOnDown = key;
      }
    }
    String unavailable = onlyOnDown;
    String available = withALiveReplica;
    assertThat(error(() -> jedis.exists(available, unavailable)))
        .startsWith("CLUSTERDOWN 2 or more servers are down").contains("'" + unavailable + "'");
    assertThat(error(() -> rawKeys(unavailable))).startsWith("CLUSTERDOWN");
    String absent = null;
    for (int i = 0; absent == null; i++) {
      if (cluster.replicas("absent" + i).contains(cluster.address(2))) {
        absent = "absent" + i;
      }
    }
    assertThat(jedis.exists(available, absent)).isEqualTo(1L);
  }

  private static String text(Object reply) {
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }
}
