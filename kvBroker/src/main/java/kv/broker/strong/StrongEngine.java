package kv.broker.strong;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.broker.engine.Transactions;
import kv.raft.ClientOptions;
import kv.raft.ClusterIdentity;
import kv.raft.GroupLayout;
import kv.raft.Member;
import kv.raft.RaftTls;
import kv.raft.RaftTuning;
import kv.raft.StrongClient;
import kv.record.Path;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.Value;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strong engine (SPEC.md §8) behind {@link Engine}: every request goes through the Raft
 * group of its key with one {@link StrongClient} (writes batched and applied at most once,
 * reads linearizable unless the read mode is LOCAL), and a group that cannot answer gives an
 * {@link Outcome.Unanswered} naming the group and why (NOQUORUM, UNKNOWN, TRYAGAIN). A probe of
 * every group's members every {@code probeEvery} keeps the {@link ClusterView} that
 * {@link #status} shows. Thread-safe.
 */
public final class StrongEngine implements Engine {
  /*
   * The broker is a client of the groups, not a member: it needs no RESP connection to the
   * servers once it knows the cluster's identity (ClusterDiscovery). Its Raft timing must be the
   * servers': a request is probed for quorum after two election timeouts, which widen with the
   * groups a server hosts, so the tuning is the one the busiest server of the layout uses.
   */
  private static final Logger LOG = LoggerFactory.getLogger(StrongEngine.class);
  /** The largest request a server takes by default (its --max-request-bytes). */
  static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  private final StrongClient client;
  private final GroupLayout layout;
  private final ClusterView view;
  private final RecordParser parser = new RecordParser();
  private final StrongTransactions transactions;
  private final ScheduledFuture<?> prober;
  private final AtomicBoolean probing = new AtomicBoolean();
  private final Duration probeTimeout;
  private volatile boolean closed;

  private StrongEngine(StrongClient client, ClientOptions.ReadMode readMode, Duration probeEvery,
      ScheduledExecutorService scheduler, Clock clock) {
    this.client = client;
    this.layout = client.layout();
    this.view = new ClusterView(layout, readMode, clock);
    this.transactions = new StrongTransactions(client, parser);
    this.probeTimeout = client.tuning().electionMax().multipliedBy(4).plusSeconds(2);
    this.prober = scheduler.scheduleWithFixedDelay(this::probe, probeEvery.toMillis(), probeEvery.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the engine for the cluster {@code identity} describes (from {@link ClusterDiscovery}),
   * and returns once the groups' members have been probed once (bounded), so the first
   * {@code status} shows them.
   *
   * @param probeEvery how often the members are asked for their view of each group (status)
   */
  public static StrongEngine start(ClusterIdentity identity, ClientOptions.ReadMode readMode, Duration probeEvery,
      ScheduledExecutorService scheduler) {
    return start(identity, readMode, probeEvery, scheduler, null);
  }

  /** As above, speaking mutual TLS with {@code tls} to the Raft ports (null: plain TCP). */
  public static StrongEngine start(ClusterIdentity identity, ClientOptions.ReadMode readMode, Duration probeEvery,
      ScheduledExecutorService scheduler, RaftTls tls) {
    GroupLayout layout = GroupLayout.of(identity);
    StrongClient client = StrongClient.connect(layout, tuning(layout),
        ClientOptions.defaults().withReadMode(readMode), tls);
    StrongEngine engine = new StrongEngine(client, readMode, probeEvery, scheduler, Clock.systemUTC());
    engine.refreshStatus();
    return engine;
  }

  /** The Raft timing of the busiest server of {@code layout} (the groups it hosts widen its election timeouts). */
  public static RaftTuning tuning(GroupLayout layout) {
    int most = 1;
    for (Member m : layout.servers()) {
      most = Math.max(most, layout.groupsOf(m.address()).size());
    }
    return RaftTuning.defaults(most, MAX_REQUEST_BYTES);
  }

  /** The group layout (which group holds a key, its members). */
  public GroupLayout layout() {
    return layout;
  }

  /** The client's Raft timing: how long a request may take before it fails with its reason. */
  public RaftTuning tuning() {
    return client.tuning();
  }

  @Override
  public CompletableFuture<Outcome> get(String key) {
    return outcome(send(false, key, args("GET", key)), r -> StrongReplies.get(key, r));
  }

  @Override
  public CompletableFuture<Outcome> query(Path path) {
    return outcome(send(false, path.key(), args("QUERY", path.toString())), r -> StrongReplies.query(path, r, parser));
  }

  @Override
  public CompletableFuture<Outcome> delete(String key) {
    return outcome(send(true, key, args("DELETE", key)), r -> StrongReplies.delete(key, r));
  }

  @Override
  public CompletableFuture<Outcome> put(String key, String setText) {
    return outcome(send(true, key, args("PUT", key, setText)), r -> StrongReplies.put(key, r));
  }

  /** SETVALUE: the value's canonical text, as the servers' SETVALUE reads it. */
  @Override
  public CompletableFuture<Outcome> putValue(String key, Value value) {
    return outcome(send(true, key, args("SETVALUE", key, RecordPrinter.print(value))), r -> StrongReplies.put(key, r));
  }

  /** APPEND: one request of the key's group (applied once under retries), answered with the list's length. */
  @Override
  public CompletableFuture<Outcome> append(Path path, Value element) {
    return outcome(send(true, path.key(), args("APPEND", path.toString(), RecordPrinter.print(element))),
        r -> StrongReplies.append(path, r));
  }

  @Override
  public CompletableFuture<KeyScan> keyPage(String prefix, String after, int count) {
    CompletableFuture<KeyScan> page;
    try {
      page = client.keys(prefix + "*", after, count).thenApply(p -> new KeyScan.Page(p.keys(), p.next()));
    } catch (RuntimeException e) {
      page = CompletableFuture.failedFuture(e);
    }
    return page.exceptionally(StrongReplies::failedPage);
  }

  /**
   * The servers and groups as the last probe saw them (at most {@code probeEvery} old); never
   * waits, since the router asks for it on its event loops.
   */
  @Override
  public EngineStatus status() {
    return view.status();
  }

  /** Probes every group now and waits (bounded) for the answers. */
  @Override
  public void refreshStatus() {
    try {
      client.status().thenAccept(view::update).get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("status probe: {}", e.toString());
    }
  }

  /** MULTI/EXEC: atomic when every key is in one Raft group (one log entry), refused otherwise. */
  @Override
  public Transactions transactions() {
    return transactions;
  }

  /** The members of the key's group, in placement order. */
  @Override
  public List<String> replicasOf(String key) {
    List<String> names = new ArrayList<>();
    for (Member m : layout.members(layout.groupOf(key))) {
      names.add(m.toString());
    }
    return names;
  }

  @Override
  public void close() {
    closed = true;
    prober.cancel(false);
    client.close();
  }

  /* One probe at a time; one that does not finish within the timeout frees the turn. */
  private void probe() {
    if (closed || !probing.compareAndSet(false, true)) {
      return;
    }
    try {
      client.status().orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((groups, error) -> {
        probing.set(false);
        if (groups != null && !closed) {
          view.update(groups);
        } else if (error != null) {
          LOG.debug("status probe: {}", error.toString());
        }
      });
    } catch (RuntimeException e) {
      probing.set(false);
      LOG.debug("status probe: {}", e.toString());
    }
  }

  /* The reply's outcome, or the failure's (never an exceptional future: failures keep their code). */
  private static CompletableFuture<Outcome> outcome(CompletableFuture<Resp> reply,
      java.util.function.Function<Resp, Outcome> answer) {
    return reply.handle((r, e) -> e == null ? answer.apply(r) : StrongReplies.failure(e));
  }

  private CompletableFuture<Resp> send(boolean write, String key, List<byte[]> request) {
    CompletableFuture<Resp> reply;
    try {
      reply = write ? client.write(key, request) : client.read(key, request);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply;
  }

  static List<byte[]> args(String... words) {
    List<byte[]> list = new ArrayList<>(words.length);
    for (String w : words) {
      list.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }
}
