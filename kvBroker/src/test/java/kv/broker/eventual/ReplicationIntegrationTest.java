package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.broker.index.IndexProgress;
import kv.broker.index.IndexSummary;
import kv.broker.index.Indexer;
import kv.broker.testing.Await;
import kv.cluster.ServerAddress;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.StringValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker core against three real kvServers (in-process, port 0), k = 2. */
class ReplicationIntegrationTest {
  private final RealCluster cluster = new RealCluster(3, 2);
  private final RecordParser parser = new RecordParser();

  @AfterEach
  void close() {
    cluster.close();
  }

  /** A generated dataset: nested sets, strings, ints, floats, quoted and non-ASCII keys. */
  private static List<String> dataset(int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String key = i % 97 == 0 ? "\"person " + i + " ü\"" : "person" + i;
      lines.add(key + " : { \"name\" : \"N" + i + "\" ; \"age\" : " + (i % 90) + " ; \"address\" : { \"street\" : \"S"
          + i + "\" ; \"number\" : " + (i % 100) + " } ; \"height\" : " + (1.5 + i % 50 / 100.0) + " }");
    }
    return lines;
  }

  private List<Record> index(java.nio.file.Path dir, int n) throws Exception {
    List<String> lines = dataset(n);
    java.nio.file.Path file = dir.resolve("dataToIndex.txt");
    Files.write(file, lines);
    IndexSummary summary = new Indexer(cluster.service, new RecordParser(), 512).index(file, IndexProgress.NONE);
    assertThat(summary.failures()).isEmpty();
    assertThat(summary.records()).isEqualTo(n);
    List<Record> records = new ArrayList<>();
    for (String line : lines) {
      records.add(parser.parseRecord(line));
    }
    return records;
  }

  /**
   * Issue 12, scenario 4, with real servers: another broker whose clock is 2 s ahead wrote the key
   * on both replicas. The PUT through this broker lost everywhere: it says so, its clock moves
   * past the other version, and the same PUT again wins.
   */
  @Test
  void aPutThatLostToANewerWriteSaysSoAndRepeatingItWins() throws Exception {
    long newer = ((System.currentTimeMillis() + 2000) << 20) | 5;
    for (ServerAddress replica : cluster.replicas("p4")) {
      assertThat(cluster.vput(cluster.addresses.indexOf(replica), "p4", newer, "{ \"by\" : \"fast\" }")).isEqualTo(1L);
    }
    Outcome lost = cluster.put("p4 : { \"by\" : \"slow\" }");
    assertThat(lost).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) lost).message()).contains("newer write won").contains(Long.toString(newer));
    assertThat(cluster.put("p4 : { \"by\" : \"slow\" }")).isEqualTo(new Outcome.Written("p4", 2, 2));
    assertThat(cluster.get("p4")).isEqualTo(new Outcome.Found(parser.parseRecord("p4 : { \"by\" : \"slow\" }")));
  }

  @Test
  void anIndexedDatasetIsOnExactlyTheKReplicasOfEachKeyAndReadsBack(@TempDir java.nio.file.Path dir) throws Exception {
    List<Record> records = index(dir, 1500);

    for (Record record : records) {
      String key = record.key();
      List<ServerAddress> replicas = cluster.replicas(key);
      for (int i = 0; i < 3; i++) {
        if (replicas.contains(cluster.address(i))) {
          assertThat(cluster.vget(i, key)).as("VGET %s on replica %s", key, cluster.address(i)).isInstanceOf(List.class);
          assertThat(cluster.plainGet(i, key)).isEqualTo(RecordPrinter.print(record.value()));
        } else {
          assertThat(cluster.vget(i, key)).as("VGET %s on non-replica %s", key, cluster.address(i)).isNull();
        }
      }
      assertThat(cluster.get(key)).isEqualTo(new Outcome.Found(record));
    }
    Record first = records.get(0);
    assertThat(cluster.query("person1.address.number")).isEqualTo(
        new Outcome.QueryValue(kv.record.Path.parse("person1.address.number"), new IntValue(1)));
    assertThat(cluster.query("person1.name"))
        .isEqualTo(new Outcome.QueryValue(kv.record.Path.parse("person1.name"), new StringValue("N1")));
    assertThat(cluster.query("\"person 97 ü\".address.street"))
        .isEqualTo(new Outcome.QueryValue(kv.record.Path.parse("\"person 97 ü\".address.street"), new StringValue("S97")));
    assertThat(cluster.query("person1.phone")).isEqualTo(new Outcome.NotFound("person1"));
    assertThat(cluster.get("name")).isEqualTo(new Outcome.NotFound("name"));
    assertThat(first.key()).isEqualTo("person1");
    // Status: every server UP, and the records INFO reports add up to k copies of each record.
    Await.until("records refreshed from INFO",
        () -> cluster.service.status().servers().stream().mapToLong(ServerStatus::records).sum() == 2L * records.size());
  }

  @Test
  void putAndDeleteThroughRealServers() throws Exception {
    Record anna = parser.parseRecord("\"person9\" : { \"name\" : \"Anna\" ; \"tags\" : [ \"a\", \"b\" ] }");
    assertThat(cluster.service.put(anna).get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Written("person9", 2, 2));
    assertThat(cluster.get("person9")).isEqualTo(new Outcome.Found(anna));
    assertThat(cluster.query("person9.tags.1"))
        .isEqualTo(new Outcome.QueryValue(kv.record.Path.parse("person9.tags.1"), new StringValue("b")));
    assertThat(cluster.delete("person9")).isEqualTo(new Outcome.Deleted("person9"));
    assertThat(cluster.get("person9")).isEqualTo(new Outcome.NotFound("person9"));
    assertThat(cluster.delete("person9")).isEqualTo(new Outcome.NotFound("person9"));
    for (ServerAddress replica : cluster.replicas("person9")) {
      int i = cluster.addresses.indexOf(replica);
      assertThat(cluster.vget(i, "person9")).as("tombstone on %s", replica).isInstanceOf(List.class);
      assertThat(cluster.plainGet(i, "person9")).isNull();
    }
  }

  @Test
  void oneServerDownReadsStayRightAndOnlyItsKeysRefuseDelete(@TempDir java.nio.file.Path dir) throws Exception {
    List<Record> records = index(dir, 300);
    cluster.stop(0);
    String down = cluster.address(0).toString();

    for (Record record : records) {
      assertThat(cluster.get(record.key())).isEqualTo(new Outcome.Found(record));
    }
    Record onDown = records.stream().filter(r -> cluster.replicas(r.key()).contains(cluster.address(0))).findFirst().orElseThrow();
    Record elsewhere = records.stream().filter(r -> !cluster.replicas(r.key()).contains(cluster.address(0))).findFirst().orElseThrow();
    assertThat(cluster.delete(onDown.key())).isEqualTo(new Outcome.Refused(onDown.key(), List.of(down)));
    assertThat(cluster.get(onDown.key())).isEqualTo(new Outcome.Found(onDown));
    assertThat(cluster.delete(elsewhere.key())).isEqualTo(new Outcome.Deleted(elsewhere.key()));
    assertThat(cluster.get(elsewhere.key())).isEqualTo(new Outcome.NotFound(elsewhere.key()));

    Record update = parser.parseRecord(onDown.key() + " : { \"v\" : 2 }");
    assertThat(cluster.service.put(update).get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Written(onDown.key(), 1, 2));
    assertThat(cluster.get(onDown.key())).isEqualTo(new Outcome.Found(update));
  }

  @Test
  void twoServersDownMakeOnlyTheKeysOnBothUnavailable(@TempDir java.nio.file.Path dir) throws Exception {
    List<Record> records = index(dir, 300);
    cluster.stop(0);
    cluster.stop(1);
    List<ServerAddress> bothDown = List.of(cluster.address(0), cluster.address(1));

    int unavailable = 0;
    for (Record record : records) {
      Outcome outcome = cluster.get(record.key());
      if (cluster.replicas(record.key()).containsAll(bothDown)) {
        unavailable++;
        assertThat(outcome).isInstanceOf(Outcome.Unavailable.class);
        assertThat(((Outcome.Unavailable) outcome).downServers())
            .containsExactlyInAnyOrder(cluster.address(0).toString(), cluster.address(1).toString());
      } else {
        assertThat(outcome).isEqualTo(new Outcome.Found(record));
      }
    }
    assertThat(unavailable).isPositive().isLessThan(records.size());
  }

  @Test
  void aServerRestartedOnTheSamePortIsUpAgainWithANewInstanceId(@TempDir java.nio.file.Path dir) throws Exception {
    List<Record> records = index(dir, 200);
    String before = cluster.status(2).instanceId();
    assertThat(before).isEqualTo(cluster.servers[2].instanceId());
    cluster.stop(2);
    cluster.restart(2);

    assertThat(cluster.status(2).instanceId()).isEqualTo(cluster.servers[2].instanceId()).isNotEqualTo(before);
    // The restarted server is empty (in-memory), but its keys live on another replica too.
    for (Record record : records) {
      assertThat(cluster.get(record.key())).isEqualTo(new Outcome.Found(record));
    }
  }
}
