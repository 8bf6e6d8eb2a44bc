package kv.broker.router;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import kv.broker.command.CommandParser;
import kv.broker.eventual.RealCluster;
import kv.record.RecordParser;
import kv.resp.RespLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link PipelineOrderCases} through the router in front of three real kvServers with k = 2 (eventual engine). */
class PipelineOrderTest extends PipelineOrderCases {
  private RealCluster cluster;
  private RouterServer router;

  @BeforeAll
  void start() throws Exception {
    cluster = new RealCluster(3, 2);
    RouterCommands commands = new RouterCommands(cluster.service, new CommandParser(new RecordParser()),
        Duration.ofSeconds(10), Map.of("kv_version", "test"), Clock.systemUTC());
    router = RouterServer.start("127.0.0.1", 0, commands, RespLimits.DEFAULT, cluster.io);
  }

  @AfterAll
  void stop() {
    router.close();
    cluster.close();
  }

  @Override
  protected int routerPort() {
    return router.port();
  }
}
