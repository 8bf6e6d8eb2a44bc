package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.resp.Resp;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Ratis servers in this JVM (port 0) with a toy applier: the raft module end to end. */
class StrongClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  static List<byte[]> args(String... words) {
    return StrongClient.args(words);
  }

  static Resp get(CompletableFuture<Resp> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  @Test
  void writesAndReadsAcrossTwoGroupsAndEveryMemberAppliesAlike(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 2, LocalCluster.tuning(2));
        StrongClient client = cluster.client(ClientOptions.defaults())) {
      List<CompletableFuture<Resp>> puts = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        puts.add(client.write("key" + i, args("PUT", "key" + i, "v" + i)));
      }
      for (CompletableFuture<Resp> p : puts) {
        assertThat(get(p)).isEqualTo(Resp.OK);
      }
      for (int i = 0; i < 300; i += 7) {
        assertThat(get(client.read("key" + i, args("GET", "key" + i)))).isEqualTo(Resp.Bulk.of("v" + i));
      }
      assertThat(get(client.read("nope", args("GET", "nope")))).isEqualTo(Resp.NullBulk.INSTANCE);
      assertThat(get(client.read("x", args("FOO")))).isInstanceOf(Resp.Error.class);
      assertThat(client.size().get(60, TimeUnit.SECONDS)).isEqualTo(300);

      Set<String> seen = new HashSet<>();
      String after = null;
      int pages = 0;
      do {
        KeyPage page = client.keys("key*", after, 40).get(60, TimeUnit.SECONDS);
        for (String k : page.keys()) {
          assertThat(seen.add(k)).as("key %s once", k).isTrue();
        }
        after = page.next();
        pages++;
      } while (after != null);
      assertThat(seen).hasSize(300);
      assertThat(pages).isGreaterThan(4);

      // the writes were batched: fewer batches than requests
      long batches = 0;
      long requests = 0;
      for (Map<String, Long> c : client.counters().values()) {
        batches += c.get("batches");
        requests += c.get("requests");
      }
      assertThat(batches).isLessThan(requests);

      // every member holds the same records with the same versions, taken from the log index
      for (int g = 0; g < 2; g++) {
        int group = g;
        await().atMost(WAIT).until(() -> cluster.applier(0, group).map.equals(cluster.applier(1, group).map)
            && cluster.applier(1, group).map.equals(cluster.applier(2, group).map));
        for (MapApplier.Entry e : cluster.applier(0, group).map.values()) {
          assertThat(LogVersions.logIndex(e.version())).isBetween(1L,
              cluster.nodes[0].localStatus(cluster.layout.groupId(group)).lastApplied());
        }
      }
      assertThat(cluster.applier(0, 0).size() + cluster.applier(0, 1).size()).isEqualTo(300);

      List<GroupStatus> status = client.status().get(60, TimeUnit.SECONDS);
      assertThat(status).hasSize(2).allSatisfy(s -> {
        assertThat(s.hasQuorum()).isTrue();
        assertThat(s.leader()).isNotNull();
        assertThat(s.up()).hasSize(3);
        assertThat(s.commitIndex()).isPositive();
      });
    }
  }

  @Test
  void aWriteRetriedWithItsRequestIdAppliesOnce(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 1, LocalCluster.tuning(1))) {
      byte[] once = EntryCodec.encode(List.of(new EntryCodec.Op(args("INCR", "n"), new RequestId("retrier", 0, 0))));
      byte[] plain = EntryCodec.encode(List.of(new EntryCodec.Op(args("INCR", "m"), null)));
      List<Resp> onceReplies = new ArrayList<>();
      List<Resp> plainReplies = new ArrayList<>();
      // two Ratis clients: different client ids and call ids, so Ratis's retry cache cannot help
      for (int attempt = 0; attempt < 2; attempt++) {
        try (RaftClient raw = RaftClient.newBuilder().setRaftGroup(cluster.layout.raftGroup(0))
            .setProperties(cluster.tuning.clientProperties()).setClientId(ClientId.randomId())
            .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(100,
                org.apache.ratis.util.TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))).build()) {
          onceReplies.add(reply(raw.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(once)))));
          plainReplies.add(reply(raw.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(plain)))));
        }
      }
      assertThat(onceReplies).containsExactly(new Resp.Int(1), new Resp.Int(1));
      assertThat(plainReplies).containsExactly(new Resp.Int(1), new Resp.Int(2));
      try (StrongClient client = cluster.client(ClientOptions.defaults())) {
        assertThat(get(client.read("n", args("GET", "n")))).isEqualTo(Resp.Bulk.of("1"));
      }
      // the table of request ids survives a restart of every member (snapshot at stop, log replay)
      for (int i = 0; i < 3; i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < 3; i++) {
        cluster.restart(i);
      }
      try (RaftClient raw = RaftClient.newBuilder().setRaftGroup(cluster.layout.raftGroup(0))
          .setProperties(cluster.tuning.clientProperties()).setClientId(ClientId.randomId())
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(200,
              org.apache.ratis.util.TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))).build()) {
        assertThat(reply(raw.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(once)))))
            .isEqualTo(new Resp.Int(1));
      }
    }
  }

  private static Resp reply(CompletableFuture<RaftClientReply> f) throws Exception {
    RaftClientReply r = f.get(60, TimeUnit.SECONDS);
    assertThat(r.isSuccess()).isTrue();
    return EntryCodec.decodeReplies(r.getMessage().getContent().asReadOnlyByteBuffer(), 1).get(0);
  }

  @Test
  void readsDuringAnElectionWaitForTheNewLeaderInsteadOfFailing(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 1, LocalCluster.tuning(1));
        StrongClient client = cluster.client(ClientOptions.defaults())) {
      await().atMost(WAIT).until(() -> cluster.leader(0) >= 0);
      assertThat(get(client.write("k", args("PUT", "k", "v")))).isEqualTo(Resp.OK);
      for (int round = 0; round < 3; round++) {
        int leader = cluster.leader(0);
        cluster.stop(leader);
        // asked at once, while the others notice the leader is gone and elect one
        List<CompletableFuture<Resp>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          reads.add(client.read("k", args("GET", "k")));
        }
        for (CompletableFuture<Resp> read : reads) {
          assertThat(get(read)).isEqualTo(Resp.Bulk.of("v"));
        }
        cluster.restart(leader);
        // Back in the group, not only started: the next round stops another member, and with this
        // one still replaying its log the group would truly have no quorum (NOQUORUM is then right).
        await().atMost(WAIT).until(() -> cluster.leader(0) >= 0 && cluster.applier(leader, 0).map.containsKey("k"));
      }
    }
  }

  @Test
  void theLeaderDiesAndComesBackAndNoAcknowledgedWriteIsLostOrAppliedTwice(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 1, LocalCluster.tuning(1));
        StrongClient client = cluster.client(ClientOptions.defaults())) {
      await().atMost(WAIT).until(() -> cluster.leader(0) >= 0);
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      AtomicLong increments = new AtomicLong();
      AtomicLong unknownIncrements = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        Thread writer = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            String key = "w" + thread + "-" + i;
            try {
              if (get(client.write(key, args("PUT", key, "v" + i))).equals(Resp.OK)) {
                acknowledged.put(key, "v" + i);
              }
              get(client.write("counter", args("INCR", "counter")));
              increments.incrementAndGet();
            } catch (ExecutionException e) {
              failures.incrementAndGet();
              if (e.getCause() instanceof OutcomeUnknownException && key != null) {
                unknownIncrements.incrementAndGet();
              }
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          }
        });
        writer.start();
        writers.add(writer);
      }
      await().atMost(WAIT).until(() -> acknowledged.size() > 50);
      int leader = cluster.leader(0);
      cluster.stop(leader);
      long before = acknowledged.size();
      await().atMost(WAIT).until(() -> acknowledged.size() > before + 60);
      cluster.restart(leader);
      long again = acknowledged.size();
      await().atMost(WAIT).until(() -> acknowledged.size() > again + 30);
      stop.set(true);
      for (Thread w : writers) {
        w.join(60_000);
      }
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        assertThat(get(client.read(e.getKey(), args("GET", e.getKey())))).as(e.getKey())
            .isEqualTo(Resp.Bulk.of(e.getValue()));
      }
      long counter = Long.parseLong(((Resp.Bulk) get(client.read("counter", args("GET", "counter")))).text());
      assertThat(counter).isBetween(increments.get(), increments.get() + unknownIncrements.get() + failures.get());
      // the restarted member caught up
      await().atMost(WAIT).until(() -> cluster.applier(leader, 0).map.equals(cluster.applier((leader + 1) % 3, 0).map));
    }
  }

  @Test
  void withoutQuorumAGroupAnswersNoQuorumNamingItsDownMembersAndOtherGroupsKeepWorking(@TempDir Path dir)
      throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 4, 3, 4, LocalCluster.tuning(3));
        StrongClient client = cluster.client(ClientOptions.defaults())) {
      GroupLayout layout = cluster.layout;
      // stop the two servers missing from some group's... pick a pair that breaks one group and spares another
      int[] pair = null;
      int broken = -1;
      int spared = -1;
      for (int a = 0; a < 4 && pair == null; a++) {
        for (int b = a + 1; b < 4 && pair == null; b++) {
          int brokenG = -1;
          int sparedG = -1;
          for (int g = 0; g < 4; g++) {
            List<Member> m = layout.members(g);
            boolean hasA = m.contains(layout.servers().get(a));
            boolean hasB = m.contains(layout.servers().get(b));
            if (hasA && hasB) {
              brokenG = g;
            } else {
              sparedG = g;
            }
          }
          if (brokenG >= 0 && sparedG >= 0) {
            pair = new int[] {a, b};
            broken = brokenG;
            spared = sparedG;
          }
        }
      }
      assertThat(pair).as("a pair of servers that breaks one group and spares another").isNotNull();
      String brokenKey = keyOf(layout, broken);
      String sparedKey = keyOf(layout, spared);
      assertThat(get(client.write(brokenKey, args("PUT", brokenKey, "before")))).isEqualTo(Resp.OK);
      assertThat(get(client.write(sparedKey, args("PUT", sparedKey, "before")))).isEqualTo(Resp.OK);

      cluster.stop(pair[0]);
      cluster.stop(pair[1]);
      String down = layout.servers().get(pair[0]) + ", " + layout.servers().get(pair[1]);
      ExecutionException write = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> get(client.write(brokenKey, args("PUT", brokenKey, "after"))));
      assertThat(write.getCause()).isInstanceOf(NoQuorumException.class)
          .hasMessageContaining("group " + broken + " has no quorum: 2 of its 3 members are down")
          .hasMessageContaining("This write was not acknowledged and may still apply");
      assertThat(((NoQuorumException) write.getCause()).down()).extracting(Member::toString)
          .containsExactlyInAnyOrder(down.split(", "));
      assertThat(((NoQuorumException) write.getCause()).respError().text()).startsWith("NOQUORUM group " + broken);
      // reads get the same answer (never a stale value, never "not found"), and fast now
      assertThatThrownBy(() -> get(client.read(brokenKey, args("GET", brokenKey))))
          .hasCauseInstanceOf(NoQuorumException.class)
          .cause().hasMessageNotContaining("This write");
      // the other group keeps working
      assertThat(get(client.write(sparedKey, args("PUT", sparedKey, "after")))).isEqualTo(Resp.OK);
      assertThat(get(client.read(sparedKey, args("GET", sparedKey)))).isEqualTo(Resp.Bulk.of("after"));
      List<GroupStatus> status = client.status().get(60, TimeUnit.SECONDS);
      assertThat(status.get(broken).hasQuorum()).isFalse();
      assertThat(status.get(spared).hasQuorum()).isTrue();
      assertThat(status.get(broken).infoFields()).containsEntry("has_quorum", "0").containsEntry("members_up", "1")
          .containsEntry("partner_node_status_server_" + layout.servers().get(pair[0]), "0")
          .containsEntry("state_server_" + layout.servers().get(pair[1]), "down");
      assertThat(status.get(spared).infoFields()).containsEntry("has_quorum", "1").containsEntry("members_up", "2");

      cluster.restart(pair[0]);
      cluster.restart(pair[1]);
      await().atMost(WAIT).ignoreExceptions().until(
          () -> get(client.write(brokenKey, args("PUT", brokenKey, "back"))).equals(Resp.OK));
      assertThat(get(client.read(brokenKey, args("GET", brokenKey)))).isEqualTo(Resp.Bulk.of("back"));
    }
  }

  private static String keyOf(GroupLayout layout, int group) {
    for (int i = 0; ; i++) {
      if (layout.groupOf("k" + i) == group) {
        return "k" + i;
      }
    }
  }

  @Test
  void aMemberThatFellFarBehindGetsASnapshot(@TempDir Path dir) throws Exception {
    RaftTuning tuning = LocalCluster.tuning(1).withSnapshotEntries(20).withSegmentBytes(4096);
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 1, tuning);
        StrongClient client = cluster.client(ClientOptions.defaults())) {
      await().atMost(WAIT).until(() -> cluster.leader(0) >= 0);
      int follower = (cluster.leader(0) + 1) % 3;
      cluster.stop(follower);
      for (int i = 0; i < 150; i++) {
        assertThat(get(client.write("s" + i, args("PUT", "s" + i, "v" + i)))).isEqualTo(Resp.OK);
      }
      int leader = cluster.leader(0);
      await().atMost(WAIT).until(() -> cluster.nodes[leader].localStatus(cluster.layout.groupId(0)).logStartIndex() > 100);
      cluster.restart(follower);
      await().atMost(WAIT).until(() -> cluster.applier(follower, 0).size() == 150);
      assertThat(cluster.applier(follower, 0).map).isEqualTo(cluster.applier(leader, 0).map);
      // it got the leader's snapshot (the entries before it were purged), not the 150 writes one by one
      assertThat(cluster.applier(follower, 0).applied.get()).isLessThan(100);
    }
  }
}
