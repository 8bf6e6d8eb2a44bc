package kv.broker.keyspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kv.broker.engine.KeyScan;
import kv.broker.transport.Versioned;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

/** The merge of per-server VSCAN pages: dedup, newest wins, tombstones, the bound, the limit, placement. */
class KeyPageMergeTest {
  private static final ServerAddress A = new ServerAddress("127.0.0.1", 1);
  private static final ServerAddress B = new ServerAddress("127.0.0.1", 2);
  private static final ServerAddress C = new ServerAddress("127.0.0.1", 3);
  private final Placement placement = new Placement(List.of(A, B, C), 2);

  /** A page of {@code server} holding, of {@code keys}, those it is a replica of (version 10, live). */
  private KeyPageMerge.ServerPage page(ServerAddress server, boolean more, List<String> keys) {
    List<KeyPageMerge.Entry> entries = new ArrayList<>();
    for (String key : keys) {
      if (placement.replicas(key).contains(server)) {
        entries.add(new KeyPageMerge.Entry(key, 10, true));
      }
    }
    return new KeyPageMerge.ServerPage(server, entries, more);
  }

  private static List<String> keys(int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("k%03d", i));
    }
    return keys;
  }

  @Test
  void everyKeyOnceWhenAllServersAreAtTheirEnd() {
    List<String> all = keys(50);
    KeyScan.Page page = KeyPageMerge.merge(
        List.of(page(A, false, all), page(B, false, all), page(C, false, all)), placement, 100);
    assertThat(page.keys()).isEqualTo(all);
    assertThat(page.resumeAfter()).isNull();
  }

  @Test
  void onlyKeysUpToTheSmallestLastKeyOfAServerWithMoreAreMerged() {
    List<String> all = keys(50);
    // A stopped early (at its 5th key) and has more: keys after that may still be on A only.
    List<String> ofA = new ArrayList<>();
    for (String key : all) {
      if (placement.replicas(key).contains(A) && ofA.size() < 5) {
        ofA.add(key);
      }
    }
    String bound = ofA.get(4);
    KeyScan.Page page = KeyPageMerge.merge(
        List.of(page(A, true, ofA), page(B, false, all), page(C, false, all)), placement, 100);
    assertThat(page.keys()).isEqualTo(all.subList(0, all.indexOf(bound) + 1));
    assertThat(page.resumeAfter()).isEqualTo(bound);
  }

  @Test
  void theLimitCountsExaminedKeysAndTheNextPageStartsAfterTheLast() {
    List<String> all = keys(20);
    KeyScan.Page page = KeyPageMerge.merge(
        List.of(page(A, false, all), page(B, false, all), page(C, false, all)), placement, 7);
    assertThat(page.keys()).isEqualTo(all.subList(0, 7));
    assertThat(page.resumeAfter()).isEqualTo(all.get(6));
  }

  @Test
  void theNewestCopyAmongTheReplicasDecidesAndOtherServersAreIgnored() {
    String key = "x";
    List<ServerAddress> replicas = placement.replicas(key);
    ServerAddress other = List.of(A, B, C).stream().filter(s -> !replicas.contains(s)).findFirst().orElseThrow();
    List<KeyPageMerge.ServerPage> deleted = List.of(
        new KeyPageMerge.ServerPage(replicas.get(0), List.of(new KeyPageMerge.Entry(key, 10, true)), false),
        new KeyPageMerge.ServerPage(replicas.get(1), List.of(new KeyPageMerge.Entry(key, 20, false)), false));
    KeyScan.Page page = KeyPageMerge.merge(deleted, placement, 10);
    assertThat(page.keys()).isEmpty();
    assertThat(page.resumeAfter()).isNull();

    List<KeyPageMerge.ServerPage> rewritten = List.of(
        new KeyPageMerge.ServerPage(replicas.get(0), List.of(new KeyPageMerge.Entry(key, 30, true)), false),
        new KeyPageMerge.ServerPage(replicas.get(1), List.of(new KeyPageMerge.Entry(key, 20, false)), false));
    assertThat(KeyPageMerge.merge(rewritten, placement, 10).keys()).containsExactly(key);

    List<KeyPageMerge.ServerPage> stray = List.of(
        new KeyPageMerge.ServerPage(other, List.of(new KeyPageMerge.Entry(key, 99, true)), false));
    assertThat(KeyPageMerge.merge(stray, placement, 10).keys()).isEmpty();
  }

  @Test
  void parsesAVscanReplyAndRejectsOtherShapes() throws Exception {
    Resp reply = new Resp.Array(List.of(Resp.Bulk.of("6b31"), new Resp.Array(List.of(
        Resp.Bulk.of("k0"), new Resp.Int(5), new Resp.Int(1), Resp.Bulk.of("k1"), new Resp.Int(6), new Resp.Int(0)))));
    KeyPageMerge.ServerPage page = KeyPageMerge.ServerPage.parse(A, reply);
    assertThat(page.more()).isTrue();
    assertThat(page.entries()).containsExactly(new KeyPageMerge.Entry("k0", 5, true), new KeyPageMerge.Entry("k1", 6, false));

    assertThatThrownBy(() -> KeyPageMerge.ServerPage.parse(A, new Resp.Array(List.of(Resp.Bulk.of("0"),
        new Resp.Array(List.of(Resp.Bulk.of("k0"), new Resp.Int(5)))))))
        .isInstanceOf(Versioned.MalformedReply.class).hasMessageContaining("unexpected reply to VSCAN");
    assertThatThrownBy(() -> KeyPageMerge.ServerPage.parse(A, new Resp.Array(List.of(Resp.Bulk.of("6b31"),
        new Resp.Array(List.of())))))
        .isInstanceOf(Versioned.MalformedReply.class);
  }
}
