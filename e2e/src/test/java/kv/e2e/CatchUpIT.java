package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import kv.e2e.Launchers.Server;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Issue 6 with real processes: three kvServers with a data directory each on fixed ports, and a
 * kvBroker router (k = 2) in front. Servers are killed with SIGKILL and restarted with the same
 * command; nothing the broker acknowledged may be lost, and a deleted key stays deleted.
 */
class CatchUpIT {
  enum Cmd implements ProtocolCommand {
    PUT, GET, DELETE, STATUS;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  @TempDir Path dir;
  private final int[] ports = new int[3];
  private final Server[] servers = new Server[3];
  private Server router;

  @BeforeEach
  void start() throws Exception {
    for (int i = 0; i < 3; i++) {
      ports[i] = Launchers.freePort();
      servers[i] = startServer(i);
    }
    List<Server> list = List.of(servers);
    router = Launchers.startRouter(dir, Launchers.serverFile(dir, list), 2);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (router != null) {
      router.close();
    }
    for (Server s : servers) {
      if (s != null) {
        s.close();
      }
    }
  }

  /** The same command every time: fixed port, own data directory. */
  private Server startServer(int i) throws Exception {
    return Launchers.startServer(dir, ports[i], "--data-dir", dir.resolve("data" + i).toString());
  }

  private Jedis client() {
    return new Jedis("127.0.0.1", router.port(), 15_000);
  }

  private static String value(String key, int round) {
    return "{ \"key\" : \"" + key + "\" ; \"round\" : " + round + " }";
  }

  private static Object send(Jedis jedis, Cmd cmd, String... args) {
    Object reply = jedis.sendCommand(cmd, args);
    return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : reply;
  }

  private String status(Jedis jedis) {
    return (String) send(jedis, Cmd.STATUS);
  }

  /** Every server UP and none catching up, as the router's status table shows. */
  private void awaitAllCaughtUp(Jedis jedis) {
    await("all servers UP and caught up", () -> {
      String table = status(jedis);
      return table.contains("3 up, 0 down") && table.lines().noneMatch(l -> l.endsWith("yes"));
    });
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  /** Reads a key until the broker gives a real answer (not a CLUSTERDOWN warning). */
  private static String read(Jedis jedis, String key) {
    String[] got = new String[1];
    await("an answer for " + key, () -> {
      try {
        got[0] = (String) send(jedis, Cmd.GET, key);
        return true;
      } catch (JedisDataException e) {
        return false;
      }
    });
    return got[0];
  }

  @Test
  void aServerKilledDuringAWriteLoadAndRestartedLosesNoAcknowledgedWrite() throws Exception {
    Map<String, Set<String>> allowed = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger written = new AtomicInteger();
    Thread writer = new Thread(() -> {
      try (Jedis jedis = client()) {
        for (int n = 0; !stop.get(); n++) {
          String key = "load" + (n % 300);
          String v = value(key, n / 300);
          try {
            send(jedis, Cmd.PUT, key, v);
            allowed.put(key, new HashSet<>(Set.of(v)));
            written.incrementAndGet();
          } catch (JedisDataException e) {
            allowed.computeIfAbsent(key, k -> new HashSet<>()).add(v); // may or may not have been applied
          }
        }
      }
    }, "writer");
    writer.start();
    await("some writes", () -> written.get() > 500);
    servers[1].kill();
    int atKill = written.get();
    await("writes while the server is down", () -> written.get() > atKill + 500);
    servers[1] = startServer(1);
    int atRestart = written.get();
    await("writes after the restart", () -> written.get() > atRestart + 500);
    stop.set(true);
    writer.join(30_000);

    try (Jedis jedis = client()) {
      awaitAllCaughtUp(jedis);
      for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
        assertThat(read(jedis, e.getKey())).as(e.getKey()).isIn(e.getValue());
      }
      // The restarted server holds what it missed: with another server gone, it answers alone
      // for the keys it shares with that one.
      servers[0].kill();
      for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
        assertThat(read(jedis, e.getKey())).as(e.getKey() + " with server 0 killed").isIn(e.getValue());
      }
    }
  }

  @Test
  void allServersKilledAndRestartedBringAllDataBackAndADeletedKeyStaysDeleted() throws Exception {
    Map<String, String> data = new LinkedHashMap<>();
    try (Jedis jedis = client()) {
      for (int i = 0; i < 200; i++) {
        String key = "all" + i;
        data.put(key, value(key, 1));
        assertThat(send(jedis, Cmd.PUT, key, data.get(key))).isEqualTo("OK");
      }
      assertThat(send(jedis, Cmd.DELETE, "all7")).isEqualTo(1L);
      data.remove("all7");
    }
    for (int i = 0; i < 3; i++) {
      servers[i].kill();
    }
    for (int i = 0; i < 3; i++) {
      servers[i] = startServer(i);
    }
    try (Jedis jedis = client()) {
      awaitAllCaughtUp(jedis);
      for (Map.Entry<String, String> e : data.entrySet()) {
        assertThat(read(jedis, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(read(jedis, "all7")).isNull();
    }
  }

  @Test
  void aServerDownWhile40OfItsKeysAreUpdatedServesTheNewValuesOnceItsPartnersAreKilled() throws Exception {
    List<String> keys = new ArrayList<>();
    try (Jedis jedis = client()) {
      for (int i = 0; i < 120; i++) {
        send(jedis, Cmd.PUT, "upd" + i, value("upd" + i, 1));
      }
      try (Jedis direct = new Jedis("127.0.0.1", ports[2])) {
        for (int i = 0; i < 120 && keys.size() < 40; i++) {
          if (direct.sendCommand(Cmd.GET, "upd" + i) != null) {
            keys.add("upd" + i);
          }
        }
      }
      assertThat(keys).hasSize(40);
      servers[2].kill();
      for (String key : keys) {
        assertThat(send(jedis, Cmd.PUT, key, value(key, 2))).isEqualTo("OK");
      }
      servers[2] = startServer(2);
      awaitAllCaughtUp(jedis);
      servers[0].kill();
      servers[1].kill();
      for (String key : keys) {
        assertThat(read(jedis, key)).as(key).isEqualTo(value(key, 2));
      }
    }
  }

  @Test
  void aServerRestartedWithItsDataDirectoryWipedIsResyncedBeforeItIsBelieved() throws Exception {
    List<String> keys = new ArrayList<>();
    try (Jedis jedis = client()) {
      for (int i = 0; i < 90; i++) {
        send(jedis, Cmd.PUT, "wipe" + i, value("wipe" + i, 1));
      }
      try (Jedis direct = new Jedis("127.0.0.1", ports[0])) {
        for (int i = 0; i < 90; i++) {
          if (direct.sendCommand(Cmd.GET, "wipe" + i) != null) {
            keys.add("wipe" + i);
          }
        }
      }
      servers[0].kill();
      deleteTree(dir.resolve("data0"));
      servers[0] = startServer(0);
      awaitAllCaughtUp(jedis);
      servers[1].kill();
      servers[2].kill();
      for (String key : keys) {
        assertThat(read(jedis, key)).as(key).isEqualTo(value(key, 1));
      }
      assertThat(keys).hasSizeGreaterThan(30);
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = java.nio.file.Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }
}
