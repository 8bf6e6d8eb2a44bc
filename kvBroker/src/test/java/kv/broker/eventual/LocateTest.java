package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.command.LocationText;
import kv.broker.engine.Location;
import kv.broker.engine.Outcome;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/** LOCATE in eventual mode against three real kvServers, k = 2: states, what each replica holds, the newest. */
class LocateTest {
  private final RealCluster cluster = new RealCluster(3, 2);

  @AfterEach
  void close() {
    cluster.close();
  }

  private Location locate(String key) throws Exception {
    Outcome outcome = cluster.service.locate(key).get(10, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Outcome.Located.class);
    return ((Outcome.Located) outcome).location();
  }

  private int index(ServerAddress address) {
    return cluster.addresses.indexOf(address);
  }

  @Test
  void bothReplicasHoldTheNewestVersionInRendezvousOrder() throws Exception {
    cluster.put("person1 : { \"name\" : \"John\" }");
    Location l = locate("person1");
    List<ServerAddress> replicas = cluster.replicas("person1");
    assertThat(l.placement()).isEqualTo("rendezvous hashing, k = 2");
    assertThat(l.group()).isNull();
    assertThat(l.servers()).extracting(Location.Replica::address)
        .containsExactly(replicas.get(0).toString(), replicas.get(1).toString());
    assertThat(l.servers()).allSatisfy(r -> {
      assertThat(r.state()).isEqualTo(Location.State.UP);
      assertThat(r.holds()).isEqualTo(Location.Holds.VALUE);
      assertThat(r.newest()).isTrue();
    });
    assertThat(l.servers().get(0).version()).isPositive().isEqualTo(l.servers().get(1).version());
    assertThat(LocationText.format(l)).startsWith("person1 is on 2 servers (rendezvous hashing, k = 2)\n"
        + "SERVER").contains("  UP  ", "  value  ", "  newest");
  }

  @Test
  void aStaleReplicaIsNamedAndLeftAsItIs() throws Exception {
    cluster.put("person1 : { \"name\" : \"John\" }");
    List<ServerAddress> replicas = cluster.replicas("person1");
    long version = locate("person1").servers().get(0).version();
    // the second replica gets a newer version behind the broker's back
    try (Jedis direct = new Jedis("127.0.0.1", replicas.get(1).port())) {
      assertThat(direct.sendCommand(Raw.VPUT, "person1", Long.toString(version + 1), "{ \"name\" : \"Johnny\" }"))
          .isEqualTo(1L);
    }
    Location l = locate("person1");
    assertThat(l.servers().get(0).newest()).isFalse();
    assertThat(l.servers().get(0).version()).isEqualTo(version);
    assertThat(l.servers().get(1).newest()).isTrue();
    assertThat(l.servers().get(1).version()).isEqualTo(version + 1);
    assertThat(LocationText.format(l)).contains("stale (read repair or catch-up will update it)");
    // LOCATE does not repair: the first replica still holds the older version
    assertThat(locate("person1").servers().get(0).version()).isEqualTo(version);
  }

  @Test
  void aDownReplicaIsNotAskedADeleteLeavesTombstonesAnUnknownKeyIsNowhere() throws Exception {
    cluster.put("person1 : { \"name\" : \"John\" }");
    assertThat(cluster.delete("person1")).isInstanceOf(Outcome.Deleted.class);
    assertThat(locate("person1").servers()).allSatisfy(r -> assertThat(r.holds()).isEqualTo(Location.Holds.TOMBSTONE));
    assertThat(locate("nobody").servers()).allSatisfy(r -> {
      assertThat(r.holds()).isEqualTo(Location.Holds.NOTHING);
      assertThat(r.newest()).isFalse();
    });

    cluster.put("person2 : { \"name\" : \"Mary\" }");
    List<ServerAddress> replicas = cluster.replicas("person2");
    cluster.stop(index(replicas.get(0)));
    Location l = locate("person2");
    assertThat(l.servers().get(0).state()).isEqualTo(Location.State.DOWN);
    assertThat(l.servers().get(0).holds()).isEqualTo(Location.Holds.UNKNOWN);
    assertThat(l.servers().get(0).remark()).isEqualTo("not asked: it is down");
    assertThat(l.servers().get(1).state()).isEqualTo(Location.State.UP);
    assertThat(l.servers().get(1).newest()).isTrue();
    assertThat(LocationText.format(l)).contains("  DOWN  ", "  ?  ", "not asked: it is down");
  }

  /** kvServer's replication write, sent directly. */
  private enum Raw implements ProtocolCommand {
    VPUT;

    @Override
    public byte[] getRaw() {
      return name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }
}
