package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.resp.Resp;
import kv.security.Access;
import kv.security.Secret;
import kv.security.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The two roles: the clients' password runs the data commands, only the cluster's runs the
 * replication, sync and purge commands (and CLIENT KILL/LIST); the cluster's connections are
 * not refused for the clients' --max-clients. One table says who may run what.
 */
class RolesTest {
  private static final String CLIENT_PW = "client-pw";
  private static final String CLUSTER_PW = "cluster-pw";
  private static final String RECORD = "{ \"name\" : \"John\" }";
  private static final Users BOTH = new Users(Secret.of("t", CLIENT_PW), Secret.of("t", CLUSTER_PW));
  private KvServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private KvServer start(Users users, int maxClients) {
    server = KvServer.start(ServerConfig.defaults().withMaxClients(maxClients)
        .withSecurity(SecurityConfig.NONE.withUsers(users)));
    return server;
  }

  private Jedis jedis() {
    return new Jedis("127.0.0.1", server.port(), 10_000);
  }

  @Test
  void aClientCredentialCannotRunTheClustersCommands() {
    start(BOTH, 100);
    try (Jedis client = jedis(); Jedis cluster = jedis()) {
      assertThat(send(client, Cmd.AUTH, CLIENT_PW)).isEqualTo("OK");
      assertThat(send(client, Cmd.PUT, "k", RECORD)).isEqualTo("OK");
      assertThat(send(client, Cmd.GET, "k")).isEqualTo(RECORD);
      assertThat(send(client, Cmd.KEYS, "*")).isEqualTo(List.of("k"));
      assertThat(send(client, Cmd.INFO).toString()).contains("cluster_connections:0");
      assertThat(error(client, Cmd.VPUT, "k", "1", RECORD))
          .isEqualTo("NOPERM User default has no permissions to run the 'vput' command");
      assertThat(error(client, Cmd.VPURGE, "k", "1"))
          .isEqualTo("NOPERM User default has no permissions to run the 'vpurge' command");
      for (Cmd cmd : List.of(Cmd.VGET, Cmd.VDEL, Cmd.VQUERY, Cmd.VKEYS, Cmd.VSCAN, Cmd.VVERSIONS)) {
        String[] args = cmd == Cmd.VDEL ? new String[] {"k", "1"} : new String[] {cmd == Cmd.VKEYS || cmd == Cmd.VSCAN ? "0" : "k"};
        assertThat(error(client, cmd, args)).as(cmd.name()).startsWith("NOPERM User default has no permissions");
      }
      assertThat(error(client, Cmd.CLIENT, "KILL", "127.0.0.1:1"))
          .isEqualTo("NOPERM User default has no permissions to run the 'client|kill' command");
      assertThat(error(client, Cmd.CLIENT, "LIST"))
          .isEqualTo("NOPERM User default has no permissions to run the 'client|list' command");
      assertThat(send(client, Cmd.CLIENT, "ID")).isInstanceOf(Long.class);

      assertThat(error(cluster, Cmd.AUTH, "cluster", CLIENT_PW)).startsWith("WRONGPASS");
      assertThat(send(cluster, Cmd.AUTH, "cluster", CLUSTER_PW)).isEqualTo("OK");
      long version = (Long) ((List<?>) send(cluster, Cmd.VGET, "k")).get(0);
      assertThat(send(cluster, Cmd.VPUT, "k", Long.toString(version + 1), "{ \"v\" : 2 }")).isEqualTo(1L);
      assertThat(send(cluster, Cmd.GET, "k")).isEqualTo("{ \"v\" : 2 }");
      assertThat(send(cluster, Cmd.CLIENT, "LIST").toString()).contains("user=cluster", "user=default");
      assertThat(send(client, Cmd.INFO).toString()).contains("cluster_connections:1");
    }
  }

  @Test
  void withOnePasswordTheDefaultUserRunsEverythingAndClusterDoesNotExist() {
    start(new Users(Secret.of("t", CLIENT_PW), null), 100);
    try (Jedis jedis = jedis()) {
      assertThat(error(jedis, Cmd.AUTH, "cluster", CLIENT_PW)).startsWith("WRONGPASS");
      assertThat(send(jedis, Cmd.AUTH, CLIENT_PW)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.VPUT, "k", "5", RECORD)).isEqualTo(1L);
    }
  }

  @Test
  void withOnlyAClusterPasswordClientsNeedNoneButTheClustersCommandsDo() {
    start(new Users(null, Secret.of("t", CLUSTER_PW)), 100);
    try (Jedis jedis = jedis()) {
      assertThat(send(jedis, Cmd.PUT, "k", RECORD)).isEqualTo("OK");
      assertThat(error(jedis, Cmd.VGET, "k")).startsWith("NOPERM User default has no permissions to run the 'vget'");
      assertThat(send(jedis, Cmd.AUTH, "cluster", CLUSTER_PW)).isEqualTo("OK");
      assertThat(send(jedis, Cmd.VGET, "k")).isInstanceOf(List.class);
      // RESET goes back to what a new connection is: default, without the cluster's role
      assertThat(send(jedis, Cmd.RESET)).isEqualTo("RESET");
      assertThat(error(jedis, Cmd.VGET, "k")).startsWith("NOPERM");
    }
  }

  @Test
  void theClustersConnectionsAreNotRefusedForTheClientsLimit() throws Exception {
    start(BOTH, 2);
    List<RawClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        RawClient c = new RawClient(server.port());
        open.add(c);
        c.send("AUTH " + CLIENT_PW + "\r\n");
        assertThat(c.read()).isEqualTo(Resp.OK);
      }
      RawClient third = new RawClient(server.port());
      open.add(third);
      third.send("PING\r\n");
      assertThat(third.read()).isEqualTo(new Resp.Error("ERR max number of clients reached"));
      assertThat(third.closedByServer()).isTrue();

      RawClient wrong = new RawClient(server.port());
      open.add(wrong);
      wrong.send("AUTH " + CLIENT_PW + "\r\n");
      assertThat(wrong.read()).as("a client's password does not open the reserve").isEqualTo(Resp.OK);
      assertThat(wrong.read()).isEqualTo(new Resp.Error("ERR max number of clients reached"));
      assertThat(wrong.closedByServer()).isTrue();

      RawClient broker = new RawClient(server.port());
      open.add(broker);
      broker.send("AUTH cluster " + CLUSTER_PW + "\r\nVKEYS 0\r\n");
      assertThat(broker.read()).isEqualTo(Resp.OK);
      assertThat(broker.read()).isInstanceOf(Resp.Array.class);
      // the refused connections are counted out when the server has seen them close, which may
      // come a moment after the clients saw it
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        broker.send("INFO\r\n");
        assertThat(broker.read().toString()).contains("connected_clients:3", "cluster_connections:1");
      });

      // a client that becomes the cluster's frees its client slot
      open.get(0).send("AUTH cluster " + CLUSTER_PW + "\r\n");
      assertThat(open.get(0).read()).isEqualTo(Resp.OK);
      RawClient fourth = new RawClient(server.port());
      open.add(fourth);
      fourth.send("AUTH " + CLIENT_PW + "\r\nPING\r\n");
      assertThat(fourth.read()).isEqualTo(Resp.OK);
      assertThat(fourth.read()).isEqualTo(new Resp.Simple("PONG"));
    } finally {
      for (RawClient c : open) {
        c.close();
      }
    }
  }

  @Test
  void oneTableSaysWhoMayRunEachCommand() {
    ServerConfig config = ServerConfig.defaults();
    CommandTable table = KvServer.commandTable(new Store(new kv.clock.HybridLogicalClock(1)), new Hints(),
        new ServerStats("id", 0, 10), config);
    Map<Access, List<String>> byAccess = new TreeMap<>();
    for (CommandTable.Spec spec : table.specs().values()) {
      byAccess.computeIfAbsent(spec.access(), a -> new ArrayList<>()).add(spec.name());
    }
    assertThat(byAccess.get(Access.OPEN)).containsExactlyInAnyOrder("AUTH", "HELLO", "QUIT", "RESET");
    assertThat(byAccess.get(Access.CLUSTER)).containsExactlyInAnyOrder("VPUT", "VDEL", "VAPPEND", "VGET", "VQUERY",
        "VENTRIES", "VKEYS", "VSCAN", "VPURGE", "VVERSIONS", "VHINT", "VHINTS", "VHINTDEL", "VHINTED", "VCAUGHTUP");
    assertThat(byAccess.get(Access.CLIENT)).contains("GET", "QUERY", "PUT", "DELETE", "DEL", "EXISTS", "DBSIZE",
        "KEYS", "SCAN", "TYPE", "INFO", "PING", "ECHO", "CLIENT", "SELECT", "COMMAND", "CONFIG", "APPEND", "SETVALUE",
        "JSON.SET", "JSON.GET", "JSON.DEL", "JSON.FORGET", "JSON.ARRAPPEND", "JSON.TYPE", "JSON.MGET");
    // every command the server has is in one of the three
    assertThat(byAccess.values().stream().mapToInt(List::size).sum()).isEqualTo(table.specs().size());
  }

}
