package kv.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kv.e2e.Launchers.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class ProbeIT {
  @TempDir Path dir;

  @Test
  void explore() throws Exception {
    try (StrongProcesses c = StrongProcesses.start(dir)) {
      Server a = c.broker();
      Server m = c.broker("--debug");
      String leader = StrongProcesses.leader(a, 0);
      int l = c.index(leader);
      StrongProcesses.leader(m, 0);
      int f = (l + 1) % 3;
      c.partitionBrokerTo(m, f);
      long t0 = System.nanoTime();
      boolean withPut = true;
      CompletableFuture<String> put = CompletableFuture.supplyAsync(() -> {
        try (Jedis jm = StrongProcesses.jedis(m)) {
          return "PUT " + jm.sendCommand(() -> "PUT".getBytes(), "k", "{ \"v\" : 2 }");
        } catch (Exception e) {
          return "PUT failed " + e.getMessage();
        }
      });
      for (int i = 0; i < 30; i++) {
        String up = StrongProcesses.raftField(m, "group0", "members_up");
        System.out.println(((System.nanoTime() - t0) / 1_000_000) + " ms: members_up " + up + " leader " + StrongProcesses.raftField(m, "group0", "leader"));
        Thread.sleep(500);
      }
      System.out.println(put.get());
      System.out.println(java.nio.file.Files.readString(dir.resolve("kvBroker-" + m.port() + ".log")).lines().filter(x -> !x.contains("DEBUG o.a.r") && !x.contains("DEBUG i.") && !x.contains("DEBUG org")).limit(400).collect(java.util.stream.Collectors.joining("\n")));
    }
  }
}
