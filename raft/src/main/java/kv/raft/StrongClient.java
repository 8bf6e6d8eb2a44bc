package kv.raft;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kv.resp.Resp;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * One process's client of a strong-mode cluster: sends each request to the group of its key
 * (reads linearizable unless configured LOCAL), batches concurrent requests to a group into one
 * Raft entry or one read, follows leader changes, and answers with a future of the request's
 * RESP reply. The future fails with a {@link StrongException} (no quorum, unknown outcome, try
 * again) when the group cannot answer; an error reply of the command itself is a normal reply.
 * Every write carries a {@link RequestId}, so it applies at most once however often it is sent.
 * Thread-safe; one per process is enough.
 */
public final class StrongClient implements AutoCloseable {
  private final GroupLayout layout;
  private final RaftTuning tuning;
  private final String clientId;
  private final List<GroupLane> lanes = new ArrayList<>();
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService probes;

  private StrongClient(GroupLayout layout, RaftTuning tuning, ClientOptions options, RaftTls tls) {
    this.layout = layout;
    this.tuning = tuning;
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    this.clientId = "c" + HexFormat.of().formatHex(random);
    this.timer = new ScheduledThreadPoolExecutor(1, daemon("kv-strong-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.probes = new ThreadPoolExecutor(0, Math.max(4, 2 * layout.k()), 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon("kv-strong-probe"));
    RaftProperties properties = tuning.clientProperties();
    RaftProperties adminProperties = tuning.withTimeouts(Duration.ofMillis(1000), tuning.operationTimeout())
        .clientProperties();
    RetryPolicy retry = retryPolicy(tuning);
    Parameters parameters = tls == null ? new Parameters() : tls.parameters();
    for (int g = 0; g < layout.groupCount(); g++) {
      RaftGroup group = layout.raftGroup(g);
      GroupLane.ClientFactory factory = new GroupLane.ClientFactory() {
        @Override
        public RaftClient newClient() {
          return RaftClient.newBuilder().setRaftGroup(group).setProperties(properties).setParameters(parameters)
              .setClientId(ClientId.randomId()).setRetryPolicy(retry).build();
        }

        @Override
        public RaftClient newAdminClient() {
          return RaftClient.newBuilder().setRaftGroup(group).setProperties(adminProperties)
              .setParameters(parameters).setClientId(ClientId.randomId()).setRetryPolicy(RetryPolicies.noRetry()).build();
        }
      };
      lanes.add(new GroupLane(g, layout.members(g), factory, tuning, options, clientId, timer, probes));
    }
  }

  /** A client of the cluster {@code layout} describes (no connection is made until the first request). */
  public static StrongClient connect(GroupLayout layout, RaftTuning tuning, ClientOptions options) {
    return new StrongClient(layout, tuning, options, null);
  }

  /**
   * As above, speaking mutual TLS to the members' Raft ports when {@code tls} is not null
   * (presenting its certificate, trusting members whose certificates its CA signed).
   */
  public static StrongClient connect(GroupLayout layout, RaftTuning tuning, ClientOptions options, RaftTls tls) {
    return new StrongClient(layout, tuning, options, tls);
  }

  /*
   * Ratis retries every request (same call id, so the servers' retry cache answers a write
   * that already applied) after 50 ms, at the leader it names in NOT_LEADER or at the next
   * member, until the operation timeout; then the future fails and GroupLane classifies it.
   */
  private static RetryPolicy retryPolicy(RaftTuning tuning) {
    TimeDuration sleep = TimeDuration.valueOf(50, TimeUnit.MILLISECONDS);
    TimeDuration timeout = RaftTuning.time(tuning.operationTimeout());
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (TypeCase type : List.of(TypeCase.WRITE, TypeCase.READ, TypeCase.STALEREAD, TypeCase.WATCH)) {
      b.setRetryPolicy(type, RetryPolicies.retryForeverWithSleep(sleep)).setTimeout(type, timeout);
    }
    return b.build();
  }

  public GroupLayout layout() {
    return layout;
  }

  public RaftTuning tuning() {
    return tuning;
  }

  /** This client's id in request ids (random per instance). */
  public String clientId() {
    return clientId;
  }

  /**
   * Writes through the group of {@code key}: {@code request} (a command and its arguments, e.g.
   * PUT key set-text) is applied once a majority has logged it, and the future holds its reply.
   */
  public CompletableFuture<Resp> write(String key, List<byte[]> request) {
    return lane(layout.groupOf(key)).write(check(request), null);
  }

  /**
   * As {@link #write(String, List)}, with the caller's own request id (for a caller that
   * retries through another client, e.g. with an idempotency key it got from its user).
   */
  public CompletableFuture<Resp> write(String key, List<byte[]> request, RequestId id) {
    return lane(layout.groupOf(key)).write(check(request), id);
  }

  /**
   * Runs {@code transaction} in group {@code group} as one step of its log: its steps apply in
   * order, no other request comes between them and no read sees part of them; at most once, as
   * every write. The future holds the array of the steps' replies.
   */
  public CompletableFuture<Resp> transaction(int group, Transaction transaction) {
    return lane(group).write(transaction.toRequest(), null);
  }

  /** A write to group {@code group} (for requests without one key). */
  public CompletableFuture<Resp> writeGroup(int group, List<byte[]> request) {
    return lane(group).write(check(request), null);
  }

  /** Reads through the group of {@code key} (linearizable unless the options say LOCAL). */
  public CompletableFuture<Resp> read(String key, List<byte[]> request) {
    return lane(layout.groupOf(key)).read(check(request));
  }

  /** A read of group {@code group}. */
  public CompletableFuture<Resp> readGroup(int group, List<byte[]> request) {
    return lane(group).read(check(request));
  }

  /**
   * One page of live keys matching {@code pattern} (prefix*, * or an exact key) after
   * {@code after} (null: from the start), across every group, each group read linearizably.
   */
  public CompletableFuture<KeyPage> keys(String pattern, String after, int count) {
    String cursor = after == null ? "0" : HexFormat.of().formatHex(after.getBytes(StandardCharsets.UTF_8));
    List<byte[]> request = args("VSCAN", cursor, "MATCH", pattern, "COUNT", Integer.toString(count));
    List<CompletableFuture<KeyPage.Part>> parts = new ArrayList<>();
    for (GroupLane lane : lanes) {
      parts.add(lane.read(request).thenApply(r -> part(lane.group(), r)));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<KeyPage.Part> list = new ArrayList<>();
      for (CompletableFuture<KeyPage.Part> p : parts) {
        list.add(p.join());
      }
      return KeyPage.merge(list);
    });
  }

  /** The number of live records across every group (each group read linearizably). */
  public CompletableFuture<Long> size() {
    List<CompletableFuture<Long>> sizes = new ArrayList<>();
    for (GroupLane lane : lanes) {
      sizes.add(lane.read(args("DBSIZE")).thenApply(r -> {
        if (r instanceof Resp.Int n) {
          return n.value();
        }
        throw new IllegalStateException("group " + lane.group() + " answered DBSIZE with " + r);
      }));
    }
    return CompletableFuture.allOf(sizes.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      long total = 0;
      for (CompletableFuture<Long> s : sizes) {
        total += s.join();
      }
      return total;
    });
  }

  /** Every group's status as its members answer now. */
  public CompletableFuture<List<GroupStatus>> status() {
    List<CompletableFuture<GroupStatus>> all = new ArrayList<>();
    for (GroupLane lane : lanes) {
      all.add(lane.probe());
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<GroupStatus> list = new ArrayList<>();
      for (CompletableFuture<GroupStatus> s : all) {
        list.add(s.join());
      }
      return list;
    });
  }

  /** Batches and requests sent per group so far (requests / batches is the mean batch size). */
  public Map<Integer, Map<String, Long>> counters() {
    Map<Integer, Map<String, Long>> result = new LinkedHashMap<>();
    for (GroupLane lane : lanes) {
      result.put(lane.group(), lane.counters());
    }
    return result;
  }

  /** Closes every Ratis client; requests still waiting fail. Idempotent. */
  @Override
  public void close() {
    for (GroupLane lane : lanes) {
      lane.close();
    }
    timer.shutdownNow();
    probes.shutdownNow();
  }

  private GroupLane lane(int group) {
    if (group < 0 || group >= lanes.size()) {
      throw new IllegalArgumentException("group: " + group + " (expected: 0.." + (lanes.size() - 1) + ")");
    }
    return lanes.get(group);
  }

  private static List<byte[]> check(List<byte[]> request) {
    if (request.isEmpty()) {
      throw new IllegalArgumentException("request: empty (expected: a command and its arguments)");
    }
    if (new String(request.get(0), StandardCharsets.UTF_8).equalsIgnoreCase(EntryCodec.ONCE)) {
      throw new IllegalArgumentException("request: ONCE is the entry format's wrapper (expected: a command)");
    }
    if (Transaction.isTransaction(request)) {
      throw new IllegalArgumentException("request: TXN is the entry format's transaction (expected: a command;"
          + " transaction() sends one)");
    }
    return List.copyOf(request);
  }

  static List<byte[]> args(String... words) {
    List<byte[]> list = new ArrayList<>(words.length);
    for (String w : words) {
      list.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }

  private static KeyPage.Part part(int group, Resp reply) {
    if (reply instanceof Resp.Array a && a.items().size() == 2 && a.items().get(0) instanceof Resp.Bulk cursor
        && a.items().get(1) instanceof Resp.Array items && items.items().size() % 3 == 0) {
      List<String> live = new ArrayList<>();
      String last = null;
      for (int i = 0; i < items.items().size(); i += 3) {
        last = ((Resp.Bulk) items.items().get(i)).text();
        if (items.items().get(i + 2) instanceof Resp.Int flag && flag.value() == 1) {
          live.add(last);
        }
      }
      boolean more = !cursor.text().equals("0");
      return new KeyPage.Part(live, last, more && last != null);
    }
    throw new IllegalStateException("group " + group + " answered VSCAN with " + reply);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
