package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Outcome;
import kv.broker.testing.Await;
import kv.cluster.ServerAddress;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.RecordParser;
import kv.record.StringValue;
import kv.record.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The eventual engine's APPEND and any-value PUT against three real kvServers (k = 2). */
class AppendIntegrationTest {
  private final RealCluster cluster = new RealCluster(3, 2);
  private EventualEngine second;

  @AfterEach
  void close() {
    if (second != null) {
      second.close();
    }
    cluster.close();
  }

  private Outcome append(String path, String json) throws Exception {
    return cluster.service.append(Path.parse(path), new RecordParser().parseValue(json)).get(10, TimeUnit.SECONDS);
  }

  private Outcome putValue(String key, String json) throws Exception {
    return cluster.service.putValue(key, new RecordParser().parseValue(json)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void appendCreatesTheListAndReportsItsLength() throws Exception {
    assertThat(append("pets", "\"cat\"")).isEqualTo(new Outcome.Written("pets", 2, 2, 1));
    assertThat(append("pets", "\"dog\"")).isEqualTo(new Outcome.Written("pets", 2, 2, 2));
    assertThat(append("pets", "[ \"a\" ; \"b\" ]")).as("a list is one element").isEqualTo(new Outcome.Written("pets", 2, 2, 3));
    assertThat(cluster.get("pets")).isEqualTo(new Outcome.Found("pets", "[ \"cat\" ; \"dog\" ; [ \"a\" ; \"b\" ] ]"));
  }

  @Test
  void appendAtAPathInsideARecordCreatesWhatIsMissing() throws Exception {
    cluster.put("person1 : { \"name\" : \"John\" }");
    assertThat(append("person1.pets", "\"cat\"")).isInstanceOf(Outcome.Written.class);
    assertThat(append("person1.a.b", "1")).isInstanceOf(Outcome.Written.class);
    assertThat(cluster.get("person1")).isEqualTo(new Outcome.Found("person1",
        "{ \"name\" : \"John\" ; \"pets\" : [ \"cat\" ] ; \"a\" : { \"b\" : [ 1 ] } }"));
  }

  @Test
  void aValueThatIsNotAListIsRefusedWithItsTypeAndNothingIsWritten() throws Exception {
    assertThat(putValue("greeting", "\"hello\"")).isEqualTo(new Outcome.Written("greeting", 2, 2));
    assertThat(append("greeting", "\"x\"")).isEqualTo(new Outcome.WrongType("greeting",
        "APPEND greeting: the value there is a string, not a list (APPEND adds to a list; PUT replaces a value)"));
    cluster.put("person1 : { \"name\" : \"John\" ; \"age\" : 22 }");
    assertThat(((Outcome.WrongType) append("person1.age", "1")).message())
        .isEqualTo("APPEND person1.age: the value there is an integer, not a list (APPEND adds to a list; PUT replaces"
            + " a value)");
    assertThat(((Outcome.WrongType) append("person1.name.first", "1")).message())
        .isEqualTo("APPEND person1.name.first: person1.name is a string, so it holds no 'first' (expected: a path"
            + " through sets and lists)");
    assertThat(((Outcome.WrongType) append("person1", "1")).message()).contains("the value there is a set");
    for (int i = 0; i < 3; i++) {
      assertThat(cluster.plainGet(i, "greeting")).as("server %d", i).isIn(null, "\"hello\"");
    }
    assertThat(cluster.get("greeting")).isEqualTo(new Outcome.Found("greeting", "\"hello\""));
  }

  @Test
  void putValueStoresAnyValue() throws Exception {
    assertThat(putValue("n", "3")).isEqualTo(new Outcome.Written("n", 2, 2));
    assertThat(putValue("nothing", "null")).isEqualTo(new Outcome.Written("nothing", 2, 2));
    assertThat(cluster.get("n")).isEqualTo(new Outcome.Found("n", "3"));
    assertThat(cluster.get("nothing")).isEqualTo(new Outcome.Found("nothing", "null"));
    assertThat(putValue("pets", "[ \"cat\" ]")).isInstanceOf(Outcome.Written.class);
    append("pets", "\"dog\"");
    assertThat(putValue("pets", "[]")).as("a PUT replaces the value and its appends").isInstanceOf(Outcome.Written.class);
    assertThat(cluster.get("pets")).isEqualTo(new Outcome.Found("pets", "[]"));
  }

  @Test
  void appendsMissedByADownReplicaAreHintedOnTheOtherAndReachItThroughTheNextBroker() throws Exception {
    String key = "pets";
    List<ServerAddress> replicas = cluster.replicas(key);
    int holder = cluster.addresses.indexOf(replicas.get(0));
    int down = cluster.addresses.indexOf(replicas.get(1));
    cluster.stop(down);
    assertThat(append(key, "\"cat\"")).isEqualTo(new Outcome.Written(key, 1, 2, 1));
    assertThat(append(key, "\"dog\"")).isEqualTo(new Outcome.Written(key, 1, 2, 2));
    // The surviving replica keeps a durable hint for the down one (the key's, at the newest append).
    assertThat(cluster.info(holder)).contains("hinted_servers:" + replicas.get(1) + "=1");

    cluster.service.close(); // the broker that took the appends is gone: the hint must not depend on it
    cluster.startAgain(down);
    second = EventualEngine.start(BrokerConfig.of(cluster.addresses, "second broker", 2).with(c -> {
      c.nodeId = 2;
      c.timeout = Duration.ofSeconds(5);
    }), cluster.io);
    Await.until("the restarted replica holds both appends", Duration.ofSeconds(20),
        () -> "[ \"cat\" ; \"dog\" ]".equals(cluster.plainGet(down, key)));
  }

  @Test
  void withEveryReplicaDownAnAppendIsUnavailableAndSendsNothing() throws Exception {
    List<ServerAddress> replicas = cluster.replicas("pets");
    for (ServerAddress replica : replicas) {
      cluster.stop(cluster.addresses.indexOf(replica));
    }
    Outcome outcome = append("pets", "\"cat\"");
    assertThat(outcome).isInstanceOf(Outcome.Unavailable.class);
    assertThat(((Outcome.Unavailable) outcome).downServers())
        .containsExactlyInAnyOrder(replicas.get(0).toString(), replicas.get(1).toString());
  }

  /** SPEC.md §9: concurrent APPENDs through two brokers lose no acknowledged element. */
  @Test
  void concurrentAppendsThroughTwoBrokersAllStay() throws Exception {
    second = EventualEngine.start(BrokerConfig.of(cluster.addresses, "second broker", 2).with(c -> {
      c.nodeId = 2;
      c.timeout = Duration.ofSeconds(5);
    }), cluster.io);
    int each = 100;
    List<CompletableFuture<Outcome>> writes = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      writes.add(cluster.service.append(new Path("shared", List.of()), new StringValue("a" + i)));
      writes.add(second.append(new Path("shared", List.of()), new StringValue("b" + i)));
    }
    Set<String> acknowledged = new TreeSet<>();
    for (int i = 0; i < writes.size(); i++) {
      Outcome outcome = writes.get(i).get(30, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(Outcome.Written.class);
      assertThat(((Outcome.Written) outcome).acknowledged()).isPositive();
      acknowledged.add((i % 2 == 0 ? "a" : "b") + (i / 2));
    }
    Outcome read = cluster.get("shared");
    Value list = new RecordParser().parseValue(((Outcome.Found) read).set());
    Set<String> elements = new TreeSet<>();
    for (Value v : ((ListValue) list).items()) {
      elements.add(((StringValue) v).value());
    }
    assertThat(((ListValue) list).items()).hasSize(2 * each);
    assertThat(elements).isEqualTo(acknowledged);
    // Both replicas answer the same list (same entries, merged in version order).
    List<ServerAddress> replicas = cluster.replicas("shared");
    assertThat(cluster.plainGet(cluster.addresses.indexOf(replicas.get(0)), "shared"))
        .isEqualTo(cluster.plainGet(cluster.addresses.indexOf(replicas.get(1)), "shared"));
  }
}
