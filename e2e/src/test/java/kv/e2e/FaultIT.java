package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.e2e.Launchers.Server;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Issue 12's fault run with real processes, through bin/: three kvServers (data directories,
 * fixed ports) and two kvBroker routers (k = 2), a writer through each router's RESP port for
 * 30 s (PUTs and DELETEs on 200 keys), while servers and routers are killed with SIGKILL and
 * started again with the same command. Then every key is read through a fresh broker. Counted:
 * writes acknowledged, acknowledged writes lost (must be 0), deleted records back (must be 0).
 * Both routers run on one machine, so their clocks agree and a write issued clearly later (100 ms)
 * has the newer version.
 */
class FaultIT {
  enum Cmd implements ProtocolCommand {
    PUT, GET, DELETE, STATUS;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final int KEYS = 200;
  private static final long SLACK_NANOS = 100_000_000L;

  @TempDir Path dir;
  private final int[] serverPorts = new int[3];
  private final Server[] servers = new Server[3];
  private final int[] routerPorts = new int[2];
  private final Server[] routers = new Server[2];
  private Server reader;
  private Path serverFile;

  /** One write a writer issued: what, when, and whether the router said it was done. */
  record Op(String key, String value, long start, long end, boolean acknowledged) {}

  private final List<Op> ops = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : routers) {
      if (s != null) {
        s.close();
      }
    }
    if (reader != null) {
      reader.close();
    }
    for (Server s : servers) {
      if (s != null) {
        s.close();
      }
    }
  }

  private Server startServer(int i) throws Exception {
    return Launchers.startServer(dir, serverPorts[i], "--data-dir", dir.resolve("data" + i).toString());
  }

  private Server startRouter(int i) throws Exception {
    return Launchers.startRouter(dir, serverFile, 2, routerPorts[i]);
  }

  @Test
  void serversAndBrokersKilledUnderLoadLoseNoAcknowledgedWriteAndBringNoDeleteBack() throws Exception {
    for (int i = 0; i < 3; i++) {
      serverPorts[i] = Launchers.freePort();
      servers[i] = startServer(i);
    }
    serverFile = Launchers.serverFile(dir, List.of(servers));
    for (int i = 0; i < 2; i++) {
      routerPorts[i] = Launchers.freePort();
      routers[i] = startRouter(i);
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      Thread t = new Thread(() -> write(writer, stop), "writer-" + w);
      t.start();
      writers.add(t);
    }
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Random chaos = new Random(12);
    List<String> faults = new ArrayList<>();
    for (int fault = 0; System.nanoTime() < end; fault++) {
      Thread.sleep(1000 + chaos.nextInt(1500)); // the load runs meanwhile: the faults' pace, not a wait for a result
      if (fault % 3 == 1) { // a router every third fault, a server otherwise
        int r = chaos.nextInt(2);
        routers[r].kill();
        faults.add("router " + r);
        routers[r] = startRouter(r);
      } else {
        int s = chaos.nextInt(3);
        servers[s].kill();
        faults.add("server " + s);
        Thread.sleep(500 + chaos.nextInt(1500));
        servers[s] = startServer(s);
      }
    }
    stop.set(true);
    for (Thread t : writers) {
      t.join(60_000);
    }

    reader = Launchers.startRouter(dir, serverFile, 2);
    try (Jedis jedis = new Jedis("127.0.0.1", reader.port(), 15_000)) {
      Awaitility.await("every server UP and caught up").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200)).until(() -> {
            String table = new String((byte[]) jedis.sendCommand(Cmd.STATUS), StandardCharsets.UTF_8);
            return table.contains("3 up, 0 down") && table.lines().noneMatch(l -> l.endsWith("yes"));
          });
      check(jedis, faults);
    }
  }

  /** PUTs (4 in 5) and DELETEs one at a time through router {@code w}, reconnecting while it is down. */
  private void write(int w, AtomicBoolean stop) {
    Random random = new Random(w);
    Jedis jedis = null;
    for (int n = 0; !stop.get(); n++) {
      String key = "f" + random.nextInt(KEYS);
      String value = random.nextInt(5) == 0 ? null : "{ \"w\" : " + w + " ; \"n\" : " + n + " }";
      long start = System.nanoTime();
      boolean acknowledged = false;
      try {
        if (jedis == null) {
          jedis = new Jedis("127.0.0.1", routerPorts[w], 5_000);
        }
        Object reply = value == null ? jedis.sendCommand(Cmd.DELETE, key) : jedis.sendCommand(Cmd.PUT, key, value);
        acknowledged = value == null ? reply instanceof Long : "OK".equals(new String((byte[]) reply, StandardCharsets.UTF_8));
      } catch (JedisDataException e) {
        // refused or failed: may or may not have been applied somewhere
      } catch (JedisConnectionException e) {
        if (jedis != null) {
          jedis.close();
        }
        jedis = null; // the router is down: its write may or may not have been applied
        pause();
      }
      ops.add(new Op(key, value, start, System.nanoTime(), acknowledged));
    }
    if (jedis != null) {
      jedis.close();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50); // a router being restarted: do not spin on refused connections
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * For each key, the final value must come from a write issued no earlier than the last
   * acknowledged one (less a 100 ms slack for writes in flight together): anything older means an
   * acknowledged write was lost, or, when the last one was a DELETE, a deleted record came back.
   */
  private void check(Jedis jedis, List<String> faults) {
    Map<String, List<Op>> byKey = new ConcurrentHashMap<>();
    for (Op op : ops) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    long acknowledgedPuts = ops.stream().filter(o -> o.acknowledged() && o.value() != null).count();
    long acknowledgedDeletes = ops.stream().filter(o -> o.acknowledged() && o.value() == null).count();
    List<String> lost = new ArrayList<>();
    List<String> resurrected = new ArrayList<>();
    for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
      Op last = null;
      for (Op op : e.getValue()) {
        if (op.acknowledged() && (last == null || op.start() > last.start())) {
          last = op;
        }
      }
      if (last == null) {
        continue;
      }
      Object reply = jedis.sendCommand(Cmd.GET, e.getKey());
      String value = reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
      long lastStart = last.start();
      boolean fine = e.getValue().stream().anyMatch(op -> op.start() >= lastStart - SLACK_NANOS
          && (value == null ? op.value() == null : value.equals(op.value())));
      if (!fine) {
        (last.value() == null ? resurrected : lost).add(e.getKey() + ": read " + value + ", last acknowledged " + last);
      }
    }
    String figures = "FaultIT: " + ops.size() + " writes issued, " + acknowledgedPuts + " PUTs and " + acknowledgedDeletes
        + " DELETEs acknowledged, " + lost.size() + " lost, " + resurrected.size() + " deletes undone; faults: " + faults;
    System.out.println(figures);
    assertThat(acknowledgedPuts).as(figures).isGreaterThan(100);
    assertThat(lost).as(figures).isEmpty();
    assertThat(resurrected).as(figures).isEmpty();
  }
}
