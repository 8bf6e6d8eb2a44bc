package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.cluster.ServerFile;
import kv.e2e.Launchers.Server;
import kv.e2e.Linearizability.Op;
import kv.raft.ClientOptions;
import kv.raft.EntryCodec;
import kv.raft.GroupLayout;
import kv.raft.GroupStatus;
import kv.raft.Member;
import kv.raft.NoQuorumException;
import kv.raft.RaftTuning;
import kv.raft.StrongClient;
import kv.raft.StrongException;
import kv.resp.Resp;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Strong mode with real processes: three {@code bin/kvServer --strong} servers (one group,
 * k = 3) whose Raft traffic passes through fault-injecting proxies in this JVM, and a
 * {@link StrongClient} here. Leaders are killed with SIGKILL under a load of several clients,
 * two of three servers die, a follower is cut off; the recorded histories are checked for
 * linearizability per key, and a planted bug (reads from a cut-off follower's local state)
 * must be caught by the checker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrongModeIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int KEYS = 5;

  @TempDir static Path dir;
  private static Path serverFile;
  private static final int[] ports = new int[3];
  private static final int[] direct = new int[3];
  private static final TcpProxy[] proxies = new TcpProxy[3];
  private static final Server[] servers = new Server[3];
  private static GroupLayout layout;
  private static StrongClient client;

  @BeforeAll
  static void startCluster() throws Exception {
    StringBuilder file = new StringBuilder("# strong-mode end-to-end test: Raft through proxies\n");
    for (int i = 0; i < 3; i++) {
      ports[i] = Launchers.freePort();
      direct[i] = Launchers.freePort();
      proxies[i] = new TcpProxy(Launchers.freePort(), direct[i]);
      file.append("127.0.0.1 ").append(ports[i]).append(" raft=").append(proxies[i].port()).append('\n');
    }
    serverFile = Files.writeString(dir.resolve("serverFile.txt"), file);
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      starts.add(CompletableFuture.runAsync(() -> start(n), StrongModeIT::thread));
    }
    for (CompletableFuture<Void> s : starts) {
      s.get(120, TimeUnit.SECONDS);
    }
    layout = GroupLayout.of(ServerFile.readLines(serverFile), 3, 0);
    client = StrongClient.connect(layout, RaftTuning.defaults(1, 16 << 20), ClientOptions.defaults());
    await().atMost(WAIT).ignoreExceptions().until(() -> put("ready", "1").equals(Resp.OK));
  }

  private static void thread(Runnable r) {
    Thread t = new Thread(r, "start-server");
    t.setDaemon(true);
    t.start();
  }

  private static void start(int i) {
    try {
      servers[i] = Launchers.startServer(dir, ports[i], "--strong", serverFile.toString(), "--raft-port",
          String.valueOf(direct[i]));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (client != null) {
      client.close();
    }
    for (Server s : servers) {
      if (s != null) {
        s.close();
      }
    }
    for (TcpProxy p : proxies) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static List<byte[]> args(String... words) {
    List<byte[]> list = new ArrayList<>();
    for (String w : words) {
      list.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }

  private static String set(String value) {
    return "{ \"v\" : \"" + value + "\" }";
  }

  private static Resp put(String key, String value) throws Exception {
    return client.write(key, args("PUT", key, set(value))).get(60, TimeUnit.SECONDS);
  }

  private static Resp get(String key) throws Exception {
    return client.read(key, args("GET", key)).get(60, TimeUnit.SECONDS);
  }

  private static int indexOf(Member m) {
    for (int i = 0; i < 3; i++) {
      if (m.address().port() == ports[i]) {
        return i;
      }
    }
    throw new AssertionError("not a server of the test: " + m);
  }

  private static int leader() {
    return await().atMost(WAIT).ignoreExceptions().until(() -> {
      GroupStatus s = client.status().get(10, TimeUnit.SECONDS).get(0);
      return s.leader() == null ? -1 : indexOf(s.leader());
    }, i -> i >= 0);
  }

  /** Clients doing PUT, GET and DELETE on a few keys, each operation recorded with its times and outcome. */
  private static final class Load {
    final List<Op> history = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    Load(int clients) {
      for (int c = 0; c < clients; c++) {
        int id = c;
        Thread t = new Thread(() -> run(id), "load-" + c);
        t.start();
        threads.add(t);
      }
    }

    private void run(int id) {
      Random random = new Random(id);
      for (int i = 0; !stop.get(); i++) {
        String key = "r" + random.nextInt(KEYS);
        int choice = random.nextInt(20);
        long start = System.nanoTime();
        try {
          if (choice < 10) {
            String value = "c" + id + "-" + i;
            Resp r = put(key, value);
            history.add(Op.put(id, key, set(value), start, System.nanoTime(), r.equals(Resp.OK)));
          } else if (choice < 17) {
            Resp r = get(key);
            history.add(Op.get(id, key, r instanceof Resp.Bulk b ? b.text() : null, start, System.nanoTime()));
          } else {
            Resp r = client.write(key, args("DELETE", key)).get(60, TimeUnit.SECONDS);
            history.add(Op.delete(id, key, ((Resp.Int) r).value(), start, System.nanoTime(), true));
          }
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof StrongException)) {
            throw new AssertionError("unexpected failure", e);
          }
          // a write may or may not have applied; a failed read did nothing
          if (choice < 10) {
            history.add(Op.put(id, key, set("c" + id + "-" + i), start, 0, false));
          } else if (choice >= 17) {
            history.add(Op.delete(id, key, 0, start, 0, false));
          }
          pause(); // a client retrying at a client's pace: a fast refusal must not flood the history
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }

    /*
     * Without it a group without quorum refuses at once, the loop spins, and a clean run recorded a
     * million writes of unknown outcome, which took the linearizability checker out of heap.
     */
    private static void pause() {
      try {
        Thread.sleep(20); // the pace of a client retrying, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    long acknowledgedWritesStartedAfter(long nanos) {
      synchronized (history) {
        return history.stream().filter(o -> o.known() && o.kind() != Linearizability.Kind.GET && o.start() > nanos)
            .count();
      }
    }

    long firstAcknowledgedWriteEndAfter(long nanos) {
      synchronized (history) {
        return history.stream().filter(o -> o.known() && o.kind() != Linearizability.Kind.GET && o.start() > nanos)
            .mapToLong(Op::end).min().orElse(-1);
      }
    }

    List<Op> finish() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(120_000);
      }
      return new ArrayList<>(history);
    }
  }

  @Test
  @Order(1)
  void aKilledLeaderLosesNoAcknowledgedWriteAndTheHistoryIsLinearizable() throws Exception {
    Load load = new Load(4);
    await().atMost(WAIT).until(() -> load.acknowledgedWritesStartedAfter(0) > 100);
    int leader = leader();
    long killed = System.nanoTime();
    servers[leader].kill();
    await().atMost(WAIT).until(() -> load.acknowledgedWritesStartedAfter(killed) > 100);
    long firstWrite = load.firstAcknowledgedWriteEndAfter(killed);
    start(leader);
    long restarted = System.nanoTime();
    await().atMost(WAIT).until(() -> load.acknowledgedWritesStartedAfter(restarted) > 100);
    // and the new leader dies too, with the first one back
    int second = leader();
    servers[second].kill();
    long killedAgain = System.nanoTime();
    await().atMost(WAIT).until(() -> load.acknowledgedWritesStartedAfter(killedAgain) > 100);
    start(second);
    List<Op> history = load.finish();
    for (int k = 0; k < KEYS; k++) {
      long start = System.nanoTime();
      Resp r = get("r" + k);
      history.add(Op.get(99, "r" + k, r instanceof Resp.Bulk b ? b.text() : null, start, System.nanoTime()));
    }
    System.out.printf("strong mode IT: %d operations, first acknowledged write %d ms after the leader's SIGKILL%n",
        history.size(), (firstWrite - killed) / 1_000_000);
    assertThat(Linearizability.check(history)).isEmpty();
    // every server holds the same records again (each replica applied the same log)
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      List<String> records = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        try (Jedis jedis = new Jedis("127.0.0.1", ports[i], 10_000)) {
          String info = jedis.info();
          records.add(info.substring(info.indexOf("records:")).split("\r\n")[0]);
        }
      }
      return records.stream().distinct().count() == 1;
    });
  }

  @Test
  @Order(2)
  void withTwoOfThreeDownEveryAnswerIsNoQuorumAndARestartBringsAllBack() throws Exception {
    assertThat(put("kept", "before")).isEqualTo(Resp.OK);
    int survivor = leader();
    List<Integer> dead = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i != survivor) {
        servers[i].kill();
        dead.add(i);
      }
    }
    ExecutionException write = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> put("kept", "during"));
    assertThat(write.getCause()).isInstanceOf(NoQuorumException.class)
        .hasMessageContaining("group 0 has no quorum: 2 of its 3 members are down")
        .hasMessageContaining("127.0.0.1:" + ports[dead.get(0)])
        .hasMessageContaining("127.0.0.1:" + ports[dead.get(1)]);
    assertThatThrownBy(() -> get("kept")).hasCauseInstanceOf(NoQuorumException.class);
    try (Jedis jedis = new Jedis("127.0.0.1", ports[survivor], 30_000)) {
      assertThatThrownBy(() -> jedis.get("kept")).hasMessageStartingWith("NOQUORUM group 0 has no quorum");
      assertThatThrownBy(() -> jedis.get("never-written")).hasMessageStartingWith("NOQUORUM");
    }
    for (int i : dead) {
      start(i);
    }
    await().atMost(WAIT).ignoreExceptions().until(() -> get("kept") instanceof Resp.Bulk);
    // the write answered NOQUORUM may or may not have applied; the one before it is there
    assertThat(((Resp.Bulk) get("kept")).text()).isIn(set("before"), set("during"));
    assertThat(put("kept", "after")).isEqualTo(Resp.OK);
    try (Jedis jedis = new Jedis("127.0.0.1", ports[dead.get(0)], 30_000)) {
      assertThat(jedis.get("kept")).isEqualTo(set("after"));
    }
    // all three killed at once and started again: every acknowledged write is on disk
    for (int i = 0; i < 3; i++) {
      servers[i].kill();
    }
    for (int i = 0; i < 3; i++) {
      start(i);
    }
    await().atMost(WAIT).ignoreExceptions().until(() -> get("kept") instanceof Resp.Bulk);
    assertThat(((Resp.Bulk) get("kept")).text()).isEqualTo(set("after"));
  }

  @Test
  @Order(3)
  void theCheckerCatchesReadsFromACutOffFollowersLocalState() throws Exception {
    int leader = leader();
    int follower = (leader + 1) % 3;
    Member f = layout.servers().get(follower);
    List<Op> history = new ArrayList<>();
    long s1 = System.nanoTime();
    assertThat(put("planted", "one")).isEqualTo(Resp.OK);
    history.add(Op.put(1, "planted", set("one"), s1, System.nanoTime(), true));
    try (RaftClient direct = directClient(follower)) {
      await().atMost(WAIT).until(() -> set("one").equals(staleRead(direct, f)));
      proxies[follower].block();
      long s2 = System.nanoTime();
      assertThat(put("planted", "two")).isEqualTo(Resp.OK);
      history.add(Op.put(1, "planted", set("two"), s2, System.nanoTime(), true));

      // the planted bug: a read served from the cut-off follower's own state
      long s3 = System.nanoTime();
      String local = staleRead(direct, f);
      List<Op> buggy = new ArrayList<>(history);
      buggy.add(Op.get(2, "planted", local, s3, System.nanoTime()));
      assertThat(local).isEqualTo(set("one"));
      assertThat(Linearizability.check(buggy)).hasValueSatisfying(m -> assertThat(m).contains("GET -> " + set("one")));

      // the same read through the group (ReadIndex at the leader) is linearizable
      long s4 = System.nanoTime();
      Resp r = get("planted");
      history.add(Op.get(2, "planted", ((Resp.Bulk) r).text(), s4, System.nanoTime()));
      assertThat(Linearizability.check(history)).isEmpty();
    } finally {
      proxies[follower].unblock();
    }
    try (RaftClient direct = directClient(follower)) {
      await().atMost(WAIT).ignoreExceptions().until(() -> set("two").equals(staleRead(direct, f)));
    }
  }

  /* A Ratis client that reaches the follower on its own port, not through its proxy. */
  private static RaftClient directClient(int follower) {
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Member m = layout.servers().get(i);
      int port = i == follower ? direct[i] : proxies[i].port();
      peers.add(RaftPeer.newBuilder().setId(m.peerId()).setAddress("127.0.0.1:" + port).build());
    }
    return RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(layout.groupId(0), peers))
        .setProperties(RaftTuning.defaults(1, 1 << 20).clientProperties()).setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.noRetry()).build();
  }

  private static String staleRead(RaftClient direct, Member follower) throws Exception {
    byte[] request = EntryCodec.encode(List.of(new EntryCodec.Op(args("GET", "planted"), null)));
    RaftClientReply reply = direct.async().sendStaleRead(Message.valueOf(UnsafeByteOperations.unsafeWrap(request)),
        0, follower.peerId()).get(30, TimeUnit.SECONDS);
    Resp r = EntryCodec.decodeReplies(reply.getMessage().getContent().asReadOnlyByteBuffer(), 1).get(0);
    return r instanceof Resp.Bulk b ? b.text() : null;
  }
}
