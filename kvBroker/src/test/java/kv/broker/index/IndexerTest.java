package kv.broker.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.broker.eventual.FakeCluster;
import kv.cluster.ServerAddress;
import kv.record.Record;
import kv.record.RecordParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexerTest {
  private final FakeCluster cluster = new FakeCluster(3, 2);

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void indexesGoodLinesAndReportsBadOnesByLineNumber(@TempDir java.nio.file.Path dir) throws Exception {
    String data = "# people\n"
        + "person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n"
        + "\n"
        + "\"person5\" : \"hello\"\n"
        + "person2 : { \"name\" : \"Mary\" }\r\n"
        + "person6 : { \"address\" : { \"there\" } }\n"
        + "person3 : {}";
    java.nio.file.Path file = dir.resolve("data.txt");
    Files.writeString(file, data);
    List<long[]> progress = new ArrayList<>();

    IndexSummary summary = new Indexer(cluster.service, new RecordParser(), 64).index(file, (read, total, records) -> progress.add(new long[] {read, total, records}));

    assertThat(summary.records()).isEqualTo(3);
    assertThat(summary.failureCount()).isEqualTo(2);
    assertThat(summary.failures()).extracting(IndexSummary.Failure::line).containsExactly(4L, 6L);
    assertThat(summary.failures()).allMatch(f -> !f.message().isBlank());
    assertThat(summary.seconds()).isPositive();
    long size = Files.size(file);
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1)).containsExactly(size, size, 3);
    for (String key : List.of("person1", "person2", "person3")) {
      assertThat(cluster.get(key)).isInstanceOf(Outcome.Found.class);
      for (ServerAddress replica : cluster.replicas(key)) {
        assertThat(cluster.server(replica).entry(key)).isNotNull();
      }
      assertThat(cluster.server(cluster.nonReplica(key)).entry(key)).isNull();
    }
  }

  @Test
  void aPutThatThrowsFailsItsRecordAndTheRunStillEnds() throws Exception {
    // An engine whose put(Record) throws for one key instead of failing its future: the slot it
    // took must come back, or the wait for the records in flight at the end never ends.
    Engine throwing = (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
        (proxy, method, args) -> {
          if (method.getName().equals("put") && args.length == 1 && ((Record) args[0]).key().equals("person2")) {
            throw new IllegalStateException("engine closed");
          }
          try {
            return method.invoke(cluster.service, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    byte[] bytes = "person1 : { \"n\" : 1 }\nperson2 : { \"n\" : 2 }\nperson3 : { \"n\" : 3 }\n"
        .getBytes(StandardCharsets.UTF_8);

    // On a daemon thread, so that a run that never ends fails the test instead of hanging the build
    // (the final wait for the records in flight does not give up on an interrupt).
    CompletableFuture<IndexSummary> run = new CompletableFuture<>();
    Thread indexing = new Thread(() -> {
      try {
        run.complete(new Indexer(throwing, new RecordParser(), 1)
            .index(new ByteArrayInputStream(bytes), bytes.length, IndexProgress.NONE));
      } catch (Throwable e) {
        run.completeExceptionally(e);
      }
    });
    indexing.setDaemon(true);
    indexing.start();
    IndexSummary summary = run.get(30, TimeUnit.SECONDS);

    assertThat(summary.records()).isEqualTo(2);
    assertThat(summary.failures()).singleElement().satisfies(f -> {
      assertThat(f.line()).isEqualTo(2L);
      assertThat(f.message()).contains("person2").contains("engine closed");
    });
  }

  @Test
  void manyRecordsThroughASmallWindow() throws Exception {
    StringBuilder data = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      data.append("person").append(i).append(" : { \"n\" : ").append(i).append(" }\n");
    }
    byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
    Indexer indexer = new Indexer(cluster.service, new RecordParser(), 3);

    IndexSummary summary = indexer.index(new ByteArrayInputStream(bytes), bytes.length, IndexProgress.NONE);

    assertThat(summary.records()).isEqualTo(5000);
    assertThat(summary.failureCount()).isZero();
    assertThat(summary.recordsPerSecond()).isPositive();
    long copies = cluster.addresses.stream().mapToLong(a -> cluster.server(a).size()).sum();
    assertThat(copies).isEqualTo(2 * 5000);
  }

  @Test
  void recordsWhoseReplicasAreAllDownAreFailuresNamingTheLine() throws Exception {
    ServerAddress a = cluster.addresses.get(0);
    ServerAddress b = cluster.addresses.get(1);
    cluster.crash(a);
    cluster.crash(b);
    StringBuilder data = new StringBuilder();
    List<Long> expectedFailures = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      String key = "person" + i;
      data.append(key).append(" : { \"n\" : ").append(i).append(" }\n");
      if (cluster.replicas(key).containsAll(List.of(a, b))) {
        expectedFailures.add((long) i);
      }
    }
    byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);

    IndexSummary summary = new Indexer(cluster.service, new RecordParser(), 64).index(new ByteArrayInputStream(bytes), -1, IndexProgress.NONE);

    assertThat(expectedFailures).isNotEmpty();
    assertThat(summary.failureCount()).isEqualTo(expectedFailures.size());
    assertThat(summary.records()).isEqualTo(200 - expectedFailures.size());
    assertThat(summary.failures()).extracting(IndexSummary.Failure::line).containsExactlyElementsOf(expectedFailures);
    assertThat(summary.failures().get(0).message()).contains("no replica stored it").contains(a.toString());
  }

  @Test
  void keepsOnlyTheFirstHundredFailuresButCountsAll() throws Exception {
    String data = "not a record\n".repeat(250) + "ok : {}\n";
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    IndexSummary summary = new Indexer(cluster.service, new RecordParser(), 64).index(new ByteArrayInputStream(bytes), bytes.length, IndexProgress.NONE);
    assertThat(summary.failureCount()).isEqualTo(250);
    assertThat(summary.failures()).hasSize(Indexer.MAX_FAILURES_KEPT);
    assertThat(summary.failures().get(99).line()).isEqualTo(100);
    assertThat(summary.records()).isEqualTo(1);
  }
}
