package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.e2e.Launchers.Result;
import kv.e2e.Launchers.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Issue 12, scenario 1 with real processes: a write acknowledged while one replica was down,
 * through a broker that is gone by the time the replica is back ({@code -c}, or a router killed
 * with SIGKILL), reaches that replica; and a returning replica is never believed for a key before
 * it was compared with the key's other replicas. Three kvServers with data directories, k = 2.
 */
class DurableHintsIT {
  private static final String V1 = "{ \"name\" : \"Anna\" }";
  private static final String V2 = "{ \"name\" : \"Anna\" ; \"age\" : 30 }";

  enum Cmd implements ProtocolCommand {
    PUT;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  @TempDir Path dir;
  private final int[] ports = new int[3];
  private final Server[] servers = new Server[3];
  private Path serverFile;
  /** The indexes of person9's two replicas, and of the third server. */
  private int first;
  private int second;

  @BeforeEach
  void start() throws Exception {
    List<ServerAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ports[i] = Launchers.freePort();
      servers[i] = startServer(i);
      addresses.add(new ServerAddress("127.0.0.1", ports[i]));
    }
    serverFile = Launchers.serverFile(dir, List.of(servers));
    List<ServerAddress> replicas = new Placement(addresses, 2).replicas("person9");
    first = addresses.indexOf(replicas.get(0));
    second = addresses.indexOf(replicas.get(1));
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : servers) {
      if (s != null) {
        s.close();
      }
    }
  }

  private Server startServer(int i) throws Exception {
    return Launchers.startServer(dir, ports[i], "--data-dir", dir.resolve("data" + i).toString());
  }

  private Result broker(String command) throws Exception {
    return Launchers.run(Launchers.bin("kvBroker", "-s", serverFile.toString(), "-k", "2", "-c", command), "",
        Duration.ofSeconds(60));
  }

  @Test
  void oneCommandBrokersOnlyTheReturningReplicaGetsTheWriteBeforeTheOtherDies() throws Exception {
    assertThat(broker("PUT person9 : " + V1).stdout().strip()).isEqualTo("OK");
    servers[second].kill();
    Result put = broker("PUT person9 : " + V2);
    assertThat(put.stdout().strip()).isEqualTo("OK (1 of 2 replicas acknowledged)");

    servers[second] = startServer(second);
    // Before any broker compared it with the other replica, the returning one is not believed alone.
    servers[first].kill();
    Result early = broker("GET person9");
    assertThat(early.stdout()).as("never the old value; stderr:%n%s", early.stderr()).doesNotContain("\"Anna\" }");
    assertThat(early.stdout()).startsWith("WARNING: ");
    assertThat(early.exitCode()).isEqualTo(1);

    // Any later broker that sees both replicas UP brings the returning one up to date.
    servers[first] = startServer(first);
    Result meanwhile = broker("GET person1");
    assertThat(meanwhile.exitCode()).as(meanwhile.stderr()).isZero();
    servers[first].kill();
    Result read = broker("GET person9");
    assertThat(read.stdout().strip()).as(read.stderr()).isEqualTo("person9 : " + V2);
  }

  @Test
  void aRouterKilledWithSigkillAfterTheWriteLosesNothing() throws Exception {
    Server router = Launchers.startRouter(dir, serverFile, 2);
    try (Jedis jedis = new Jedis("127.0.0.1", router.port(), 15_000)) {
      assertThat(jedis.sendCommand(Cmd.PUT, "person9", V1)).isNotNull();
      servers[second].kill();
      assertThat(new String((byte[]) jedis.sendCommand(Cmd.PUT, "person9", V2), StandardCharsets.UTF_8))
          .isEqualTo("OK");
    } finally {
      router.kill();
    }
    servers[second] = startServer(second);
    Result meanwhile = broker("GET person1");
    assertThat(meanwhile.exitCode()).as(meanwhile.stderr()).isZero();
    servers[first].kill();
    Result read = broker("GET person9");
    assertThat(read.stdout().strip()).as(read.stderr()).isEqualTo("person9 : " + V2);
  }
}
