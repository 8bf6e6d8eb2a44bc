package kv.broker.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import kv.broker.engine.KeyScan;
import kv.broker.transport.Server;
import kv.broker.transport.TransportException;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

/** Pages of the merged key space over stub servers: paging to the end, a server failing mid-walk, an error reply. */
class KeyspaceWalkTest {

  /** A server that answers VSCAN from a map of key to version (negative: a tombstone), or fails as told. */
  private static final class Stub implements Server {
    final ServerAddress address;
    final TreeMap<String, Long> data = new TreeMap<>();
    final AtomicInteger scans = new AtomicInteger();
    volatile boolean up = true;
    volatile boolean noReply;
    volatile String error;

    Stub(int port) {
      address = new ServerAddress("127.0.0.1", port);
    }

    @Override
    public ServerAddress address() {
      return address;
    }

    @Override
    public boolean isUp() {
      return up;
    }

    @Override
    public boolean catchingUp() {
      return false;
    }

    @Override
    public CompletableFuture<Resp> send(List<byte[]> args) {
      scans.incrementAndGet();
      if (noReply) {
        return CompletableFuture.failedFuture(new TransportException("no reply within 10 ms"));
      }
      if (error != null) {
        return CompletableFuture.completedFuture(new Resp.Error(error));
      }
      String cursor = new String(args.get(1), StandardCharsets.UTF_8);
      String prefix = new String(args.get(3), StandardCharsets.UTF_8).replace("*", "");
      int count = Integer.parseInt(new String(args.get(5), StandardCharsets.UTF_8));
      Map<String, Long> tail = cursor.equals("0") ? data
          : data.tailMap(new String(HexFormat.of().parseHex(cursor), StandardCharsets.UTF_8), false);
      List<Resp> items = new ArrayList<>();
      String last = null;
      int n = 0;
      boolean more = false;
      for (Map.Entry<String, Long> e : tail.entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          continue;
        }
        if (n == count) {
          more = true;
          break;
        }
        n++;
        last = e.getKey();
        items.addAll(List.of(Resp.Bulk.of(last), new Resp.Int(Math.abs(e.getValue())), new Resp.Int(e.getValue() > 0 ? 1 : 0)));
      }
      String next = more ? KeyspaceWalk.cursor(last) : "0";
      return CompletableFuture.completedFuture(new Resp.Array(List.of(Resp.Bulk.of(next), new Resp.Array(items))));
    }
  }

  private final List<Stub> stubs = List.of(new Stub(1), new Stub(2), new Stub(3));
  private final Placement placement = new Placement(List.of(stubs.get(0).address, stubs.get(1).address,
      stubs.get(2).address), 2);
  private final KeyspaceWalk walk = new KeyspaceWalk(stubs, placement);

  /** Writes the key to its replicas, as the broker would. */
  private void put(String key, long version) {
    for (Stub stub : stubs) {
      if (placement.replicas(key).contains(stub.address)) {
        stub.data.put(key, version);
      }
    }
  }

  private List<String> walkAll(String prefix, int count) {
    List<String> keys = new ArrayList<>();
    String after = null;
    do {
      KeyScan scan = walk.page(prefix, after, count).join();
      assertThat(scan).isInstanceOf(KeyScan.Page.class);
      KeyScan.Page page = (KeyScan.Page) scan;
      keys.addAll(page.keys());
      after = page.resumeAfter();
    } while (after != null);
    return keys;
  }

  @Test
  void pagesThroughEveryLiveKeyOnceInOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String key = String.format("k%03d", i);
      put(key, i % 10 == 0 ? -5 : 5);
      if (i % 10 != 0) {
        expected.add(key);
      }
    }
    put("other", 5);
    assertThat(walkAll("k", 3)).isEqualTo(expected);
    assertThat(walkAll("", 1000)).hasSize(91).contains("other");
  }

  @Test
  void aServerThatStopsAnsweringMidWalkIsLeftOutWhileTheOthersCoverEveryKey() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      expected.add(String.format("k%03d", i));
      put(expected.get(i), 5);
    }
    KeyScan.Page first = (KeyScan.Page) walk.page("", null, 10).join();
    stubs.get(0).noReply = true; // still UP for the failure detector
    List<String> keys = new ArrayList<>(first.keys());
    String after = first.resumeAfter();
    while (after != null) {
      KeyScan.Page page = (KeyScan.Page) walk.page("", after, 10).join();
      keys.addAll(page.keys());
      after = page.resumeAfter();
    }
    assertThat(keys).isEqualTo(expected);

    stubs.get(1).noReply = true;
    KeyScan scan = walk.page("", null, 10).join();
    assertThat(scan).isEqualTo(new KeyScan.Incomplete(2, List.of("127.0.0.1:1", "127.0.0.1:2"), List.of()));
  }

  @Test
  void anErrorReplyFailsThePageNamingTheServer() {
    put("a", 5);
    stubs.get(2).error = "ERR unknown command 'VSCAN'";
    KeyScan scan = walk.page("", null, 10).join();
    assertThat(scan).isInstanceOf(KeyScan.Failed.class);
    assertThat(((KeyScan.Failed) scan).message()).isEqualTo(
        "server 127.0.0.1:3 answered VSCAN with an error: ERR unknown command 'VSCAN'");
  }

  @Test
  void downServersAreNotAskedAndKOfThemDownIsIncomplete() {
    put("a", 5);
    stubs.get(0).up = false;
    assertThat(((KeyScan.Page) walk.page("", null, 10).join()).keys()).containsExactly("a");
    assertThat(stubs.get(0).scans).hasValue(0);
    stubs.get(2).up = false;
    assertThat(walk.page("", null, 10).join()).isInstanceOf(KeyScan.Incomplete.class);
  }
}
