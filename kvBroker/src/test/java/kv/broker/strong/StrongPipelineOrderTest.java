package kv.broker.strong;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kv.broker.command.CommandParser;
import kv.broker.router.PipelineOrderCases;
import kv.broker.router.RouterCommands;
import kv.broker.router.RouterServer;
import kv.broker.testing.Await;
import kv.broker.testing.RespTestClient;
import kv.broker.transport.netty.IoThreads;
import kv.raft.ClientOptions;
import kv.record.RecordParser;
import kv.resp.Resp;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PipelineOrderCases} (issue 13's pair and triple matrix, APPEND and JSON.* included)
 * through the router in front of the strong engine: three strong kvServers in this JVM, k = 3,
 * two Raft groups.
 */
class StrongPipelineOrderTest extends PipelineOrderCases {
  @TempDir static Path dir;
  private StrongTestCluster cluster;
  private IoThreads io;
  private StrongEngine engine;
  private RouterServer router;

  @BeforeAll
  void start() throws Exception {
    cluster = StrongTestCluster.start(dir, 3, 3, 2);
    io = IoThreads.start();
    engine = StrongEngine.start(cluster.identity(), ClientOptions.ReadMode.LINEARIZABLE, Duration.ofMillis(500),
        io.scheduler());
    RouterCommands commands = new RouterCommands(engine, new CommandParser(new RecordParser()),
        Duration.ofSeconds(30), Map.of("kv_version", "test", "mode", "strong"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, io);
    Await.until("a first write through the router", Duration.ofSeconds(90), () -> {
      try (RespTestClient client = new RespTestClient(router.port())) {
        return client.call("PUT", "ready", "{ \"x\" : 1 }").equals(Resp.OK);
      } catch (Exception e) {
        return false; // not ready yet
      }
    });
  }

  @AfterAll
  void stop() {
    if (router != null) {
      router.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (io != null) {
      io.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected int routerPort() {
    return router.port();
  }

  /* Every write is a Raft round here: triples of the writes and GET, a quarter of the tries. */
  @Override
  protected List<Op> tripleOps() {
    return List.of(new Put(), new Delete(), new Get(), new Append(), new JsonSet());
  }

  /* Every write is a Raft round here: 50 tries of the scenarios keep the test short. */
  @Override
  protected int repetitions() {
    return 50;
  }
}
