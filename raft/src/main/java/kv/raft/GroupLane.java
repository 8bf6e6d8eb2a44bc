package kv.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import kv.resp.Resp;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A strong client's path to one group: batches its writes and reads ({@link Batcher}), sends
 * each batch through one of a few Ratis clients (which follow the leader and retry with the
 * same call id), numbers writes for at-most-once application, and turns failures into precise
 * answers by asking the members for their status. Thread-safe.
 */
final class GroupLane implements AutoCloseable {
  /*
   * Failures. Ratis retries a request (same client id and call id) until the tuning's operation
   * timeout; meanwhile a watchdog probes the members once the request has waited longer than a
   * failover normally takes. If a majority does not answer, the batch fails at once with
   * NoQuorumException, the Ratis client of its slot is replaced (so the stuck call stops holding
   * the slot), waiting requests fail too, and while the group has no quorum a probe repeats every
   * PROBE_EVERY_MS and new requests fail at once without waiting. When Ratis gives up, the
   * members are probed to tell "no quorum" from "outcome unknown" (writes) or "try again" (reads).
   *
   * Floor: writes get increasing sequence numbers; the floor sent with a batch is the smallest
   * sequence number not finished yet, so the state machine forgets the replies below it.
   */
  private static final Logger LOG = LoggerFactory.getLogger(GroupLane.class);
  static final long PROBE_EVERY_MS = 500;

  private final int group;
  private final List<Member> members;
  private final ClientFactory clients;
  private final RaftClient admin;
  private final RaftTuning tuning;
  private final ClientOptions options;
  private final String clientName;
  private final ScheduledExecutorService timer;
  private final Executor probes;
  private final AtomicReferenceArray<RaftClient> writeClients;
  private final AtomicReferenceArray<RaftClient> readClients;
  private final Batcher<Pending> writes;
  private final Batcher<Pending> reads;
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long nextSeq;
  private volatile GroupStatus noQuorum;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean closed;
  final LongAdder batchesSent = new LongAdder();
  final LongAdder opsSent = new LongAdder();

  /** Builds the Ratis clients of one group. */
  interface ClientFactory {
    RaftClient newClient();

    RaftClient newAdminClient();
  }

  /** One request waiting for its reply. */
  static final class Pending {
    final List<byte[]> args;
    final RequestId id;
    final long seq;
    final long size;
    final CompletableFuture<Resp> result = new CompletableFuture<>();

    Pending(List<byte[]> args, RequestId id, long seq) {
      this.args = args;
      this.id = id;
      this.seq = seq;
      long n = 64;
      for (byte[] a : args) {
        n += a.length + 16;
      }
      this.size = n;
    }
  }

  /** One batch on the wire. */
  private final class Batch {
    final boolean write;
    final int slot;
    final List<Pending> ops;
    final long sentNanos = System.nanoTime();
    final AtomicBoolean finished = new AtomicBoolean();
    volatile java.util.concurrent.ScheduledFuture<?> watchdog;

    Batch(boolean write, int slot, List<Pending> ops) {
      this.write = write;
      this.slot = slot;
      this.ops = ops;
    }
  }

  GroupLane(int group, List<Member> members, ClientFactory clients, RaftTuning tuning, ClientOptions options,
      String clientName, ScheduledExecutorService timer, Executor probes) {
    this.group = group;
    this.members = List.copyOf(members);
    this.clients = clients;
    this.tuning = tuning;
    this.options = options;
    this.clientName = clientName;
    this.timer = timer;
    this.probes = probes;
    this.admin = clients.newAdminClient();
    this.writeClients = new AtomicReferenceArray<>(options.writeSlots());
    for (int i = 0; i < options.writeSlots(); i++) {
      writeClients.set(i, clients.newClient());
    }
    this.readClients = new AtomicReferenceArray<>(options.readSlots());
    for (int i = 0; i < options.readSlots(); i++) {
      readClients.set(i, clients.newClient());
    }
    this.writes = new Batcher<>(options.writeSlots(), options.batchOps(), options.batchBytes(), p -> p.size,
        (slot, ops) -> send(new Batch(true, slot, ops)));
    this.reads = new Batcher<>(options.readSlots(), options.batchOps(), options.batchBytes(), p -> p.size,
        (slot, ops) -> send(new Batch(false, slot, ops)));
  }

  int group() {
    return group;
  }

  CompletableFuture<Resp> write(List<byte[]> args, RequestId id) {
    Pending p;
    synchronized (unfinished) {
      long seq = id == null ? nextSeq++ : -1;
      if (seq >= 0) {
        unfinished.add(seq);
      }
      p = new Pending(args, id, seq);
    }
    return submit(writes, p, true);
  }

  CompletableFuture<Resp> read(List<byte[]> args) {
    return submit(reads, new Pending(args, null, -1), false);
  }

  private CompletableFuture<Resp> submit(Batcher<Pending> batcher, Pending p, boolean write) {
    if (closed) {
      fail(p, new IllegalStateException("strong client closed"));
      return p.result;
    }
    GroupStatus down = noQuorum;
    if (down != null) {
      fail(p, new NoQuorumException(group, members, down.down(), write));
      return p.result;
    }
    batcher.submit(p);
    return p.result;
  }

  private void send(Batch batch) {
    List<EntryCodec.Op> ops = new ArrayList<>(batch.ops.size());
    long floor = floor();
    for (Pending p : batch.ops) {
      RequestId id = p.id != null ? p.id : batch.write ? new RequestId(clientName, p.seq, Math.min(floor, p.seq)) : null;
      ops.add(new EntryCodec.Op(p.args, id));
    }
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(EntryCodec.encode(ops)));
    batchesSent.increment();
    opsSent.add(ops.size());
    CompletableFuture<RaftClientReply> reply;
    try {
      if (batch.write) {
        reply = writeClients.get(batch.slot).async().send(message);
      } else if (options.readMode() == ClientOptions.ReadMode.LINEARIZABLE) {
        reply = readClients.get(batch.slot).async().sendReadOnlyUnordered(message);
      } else {
        reply = readClients.get(batch.slot).async().sendReadOnlyNonLinearizable(message);
      }
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, e) -> completed(batch, r, e));
    watch(batch, firstCheckMillis());
  }

  /* A failover normally takes about one election timeout; probe after twice the longest. */
  private long firstCheckMillis() {
    return 2 * tuning.electionMax().toMillis() + 200;
  }

  private void completed(Batch batch, RaftClientReply reply, Throwable error) {
    if (batch.finished.get()) {
      return;
    }
    if (error == null && reply != null && !reply.isSuccess()) {
      error = reply.getException();
    }
    if (error == null) {
      List<Resp> replies;
      try {
        ByteBuffer bytes = reply.getMessage().getContent().asReadOnlyByteBuffer();
        replies = EntryCodec.decodeReplies(bytes, batch.ops.size());
      } catch (MalformedEntryException | RuntimeException e) {
        finish(batch, null, new GroupUnavailableException(group, "malformed reply: " + e.getMessage(), e));
        return;
      }
      finish(batch, replies, null);
      return;
    }
    Throwable cause = unwrap(error);
    if (closed) {
      finish(batch, null, new IllegalStateException("strong client closed"));
    } else if (cause instanceof GroupMismatchException) {
      finish(batch, null, new GroupUnavailableException(group, "a member does not host this group: the server"
          + " file or --groups differs from the cluster's (" + oneLine(cause) + ")", cause));
    } else {
      Throwable failure = cause;
      probe().whenComplete((status, e) -> {
        if (status != null && !status.hasQuorum()) {
          declareNoQuorum(status);
          finish(batch, null, new NoQuorumException(group, members, status.down(), batch.write));
        } else {
          finish(batch, null, notAnswered(batch.write, failure));
        }
      });
    }
  }

  private StrongException notAnswered(boolean write, Throwable cause) {
    String reason = describe(cause);
    return write ? new OutcomeUnknownException(group, reason, cause) : new GroupUnavailableException(group, reason, cause);
  }

  private String describe(Throwable cause) {
    String name = cause.getClass().getSimpleName();
    if (name.contains("RetryFailure") || name.contains("Timeout")) {
      return "no answer within " + tuning.operationTimeout().toMillis() + " ms; last attempt: "
          + oneLine(cause.getCause() == null ? cause : cause.getCause());
    }
    return oneLine(cause);
  }

  private void watch(Batch batch, long delayMillis) {
    if (closed) {
      return;
    }
    batch.watchdog = timer.schedule(() -> {
      if (batch.finished.get()) {
        return;
      }
      probe().whenComplete((status, e) -> {
        if (batch.finished.get()) {
          return;
        }
        if (status != null && !status.hasQuorum()) {
          declareNoQuorum(status);
          abandon(batch, new NoQuorumException(group, members, status.down(), batch.write));
          return;
        }
        long waited = (System.nanoTime() - batch.sentNanos) / 1_000_000;
        long limit = tuning.operationTimeout().toMillis() + 2 * tuning.attemptTimeout().toMillis();
        if (waited > limit) {
          abandon(batch, notAnswered(batch.write, new java.util.concurrent.TimeoutException(
              "no answer within " + waited + " ms")));
        } else {
          watch(batch, PROBE_EVERY_MS);
        }
      });
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  /* Fails a batch whose Ratis call is still running, and gives its slot a new Ratis client. */
  private void abandon(Batch batch, Throwable failure) {
    AtomicReferenceArray<RaftClient> slots = batch.write ? writeClients : readClients;
    RaftClient stuck = slots.getAndSet(batch.slot, clients.newClient());
    finish(batch, null, failure);
    probes.execute(() -> closeQuietly(stuck));
  }

  private void finish(Batch batch, List<Resp> replies, Throwable failure) {
    if (!batch.finished.compareAndSet(false, true)) {
      return;
    }
    var watchdog = batch.watchdog;
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    if (batch.write) {
      synchronized (unfinished) {
        for (Pending p : batch.ops) {
          if (p.seq >= 0) {
            unfinished.remove(p.seq);
          }
        }
      }
    }
    for (int i = 0; i < batch.ops.size(); i++) {
      Pending p = batch.ops.get(i);
      if (replies != null) {
        p.result.complete(replies.get(i));
      } else {
        p.result.completeExceptionally(failure);
      }
    }
    (batch.write ? writes : reads).done(batch.slot);
  }

  private void declareNoQuorum(GroupStatus status) {
    boolean first = noQuorum == null;
    noQuorum = status;
    if (first) {
      LOG.warn("group {} has no quorum: members down {}", group, status.down());
    }
    for (Pending p : writes.drain()) {
      fail(p, new NoQuorumException(group, members, status.down(), true));
    }
    for (Pending p : reads.drain()) {
      fail(p, new NoQuorumException(group, members, status.down(), false));
    }
    if (probing.compareAndSet(false, true)) {
      timer.schedule(this::reprobe, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
    }
  }

  /* While the group has no quorum: probe again until a majority is back. */
  private void reprobe() {
    if (closed) {
      return;
    }
    probe().whenComplete((status, e) -> {
      if (status != null && status.hasQuorum()) {
        noQuorum = null;
        probing.set(false);
        LOG.info("group {} has a quorum again: members up {}", group, status.up());
      } else {
        if (status != null) {
          noQuorum = status;
        }
        timer.schedule(this::reprobe, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
      }
    });
  }

  private void fail(Pending p, Throwable failure) {
    if (p.seq >= 0) {
      synchronized (unfinished) {
        unfinished.remove(p.seq);
      }
    }
    p.result.completeExceptionally(failure);
  }

  private long floor() {
    synchronized (unfinished) {
      return unfinished.isEmpty() ? nextSeq : unfinished.first();
    }
  }

  /** Asks every member for its view of the group (members that do not answer are down). */
  CompletableFuture<GroupStatus> probe() {
    List<CompletableFuture<GroupStatus.MemberStatus>> answers = new ArrayList<>(members.size());
    for (Member m : members) {
      answers.add(CompletableFuture.supplyAsync(() -> MemberProbe.ask(admin, m, members), probes));
    }
    return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<GroupStatus.MemberStatus> list = new ArrayList<>(answers.size());
      for (CompletableFuture<GroupStatus.MemberStatus> a : answers) {
        list.add(a.join());
      }
      return GroupStatus.of(group, list);
    });
  }

  /** Batches and requests sent so far. */
  Map<String, Long> counters() {
    return Map.of("batches", batchesSent.sum(), "requests", opsSent.sum());
  }

  @Override
  public void close() {
    closed = true;
    for (Pending p : writes.drain()) {
      fail(p, new IllegalStateException("strong client closed"));
    }
    for (Pending p : reads.drain()) {
      fail(p, new IllegalStateException("strong client closed"));
    }
    for (int i = 0; i < writeClients.length(); i++) {
      closeQuietly(writeClients.get(i));
    }
    for (int i = 0; i < readClients.length(); i++) {
      closeQuietly(readClients.get(i));
    }
    closeQuietly(admin);
  }

  static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (Exception e) {
      LOG.debug("closing a Ratis client: {}", e.toString());
    }
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    m = m.replace('\r', ' ').replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
