package kv.broker.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Location;
import kv.broker.engine.Outcome;
import kv.broker.testing.FakeEngine;
import kv.record.JsonPrinter;
import org.junit.jupiter.api.Test;

/** LOCATE's text and JSON for the forms the engines give: replicas, a Raft group, the default. */
class LocationTextTest {

  @Test
  void anEngineWithoutItsOwnLocateNamesTheServersAndSaysWhatItCannotTell() throws Exception {
    FakeEngine engine = new FakeEngine();
    Outcome outcome = engine.locate("person1").get(5, TimeUnit.SECONDS);
    Location l = ((Outcome.Located) outcome).location();
    assertThat(l.servers()).extracting(Location.Replica::address).containsExactlyElementsOf(engine.replicasOf("person1"));
    assertThat(l.servers()).allSatisfy(r -> assertThat(r.state()).isEqualTo(Location.State.UNKNOWN));
    String text = LocationText.format(l);
    assertThat(text).startsWith("person1 is on ").contains("(the servers that hold it)")
        .endsWith("this engine does not report its servers' states or the versions they hold");
    assertThat(text).doesNotContain("WRITTEN");
  }

  @Test
  void aRaftGroupShowsItsLeaderTermAndRoles() {
    Location l = new Location("a b", "Raft group 1 of 2", new Location.Group(1, "127.0.0.1:9002", 7), List.of(
        new Location.Replica("127.0.0.1:9002", Location.State.UP, "leader", Location.Holds.VALUE, 12_582_912, true, null),
        new Location.Replica("127.0.0.1:9001", Location.State.DOWN, null, Location.Holds.UNKNOWN, -1, false, null)),
        null);
    assertThat(LocationText.format(l)).isEqualTo(String.join("\n",
        "\"a b\" is in Raft group 1 (leader 127.0.0.1:9002, term 7)",
        "SERVER          STATE  ROLE    HOLDS  VERSION   NOTE",
        "127.0.0.1:9002  UP     leader  value  12582912  newest",
        "127.0.0.1:9001  DOWN   -       ?      -         -"));
    assertThat(JsonPrinter.print(LocationJson.of(l))).isEqualTo("{\"key\":\"a b\",\"placement\":\"Raft group 1 of 2\","
        + "\"group\":{\"id\":1,\"leader\":\"127.0.0.1:9002\",\"term\":7},\"servers\":["
        + "{\"address\":\"127.0.0.1:9002\",\"state\":\"UP\",\"role\":\"leader\",\"holds\":\"value\",\"version\":\"12582912\",\"written\":null,"
        + "\"newest\":true,\"note\":null},"
        + "{\"address\":\"127.0.0.1:9001\",\"state\":\"DOWN\",\"role\":null,\"holds\":null,\"version\":null,\"written\":null,"
        + "\"newest\":false,\"note\":null}],\"note\":null}");
  }
}
