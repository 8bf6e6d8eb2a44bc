package kv.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import kv.resp.Resp;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A strong client's path to one group: batches its writes and reads ({@link Batcher}), sends
 * each batch ({@link SentBatch}) through one of a few Ratis clients ({@link RaftSlots}, which
 * follow the leader and retry with the same call id), numbers writes for at-most-once
 * application, and turns failures into precise answers by asking the members for their status
 * ({@link LaneFailures}). Thread-safe.
 */
final class GroupLane implements AutoCloseable {
  /*
   * Failures. Ratis retries a request (same client id and call id) until the tuning's operation
   * timeout; meanwhile a watchdog probes the members once the request has waited longer than a
   * failover normally takes. If a majority does not answer, the batch fails at once with
   * NoQuorumException, the Ratis client of its slot is replaced (so the stuck call stops holding
   * the slot), waiting requests fail too, and while the group has no quorum (QuorumWatch) new
   * requests fail at once without waiting. When Ratis gives up, the members are probed to tell
   * "no quorum" from "outcome unknown" (writes) or "try again" (reads).
   *
   * Floor: writes get increasing sequence numbers (WriteSequence); the floor sent with a batch is
   * the smallest one not finished yet, so the state machine forgets the replies below it.
   */

  private final int group;
  private final List<Member> members;
  private final QuorumWatch quorum;
  private final RaftTuning tuning;
  private final String clientName;
  private final ScheduledExecutorService timer;
  private final Executor background;
  private final RaftSlots slots;
  private final LaneFailures failures;
  private final Batcher<PendingRequest> writes;
  private final Batcher<PendingRequest> reads;
  private final WriteSequence sequence = new WriteSequence();
  private volatile boolean closed;
  final LongAdder batchesSent = new LongAdder();
  final LongAdder opsSent = new LongAdder();

  /** Builds the Ratis clients of one group. */
  interface ClientFactory {
    RaftClient newClient();

    RaftClient newAdminClient();
  }

  GroupLane(int group, List<Member> members, ClientFactory clients, RaftTuning tuning, ClientOptions options,
      String clientName, ScheduledExecutorService timer, Executor probes) {
    this.group = group;
    this.members = List.copyOf(members);
    this.tuning = tuning;
    this.clientName = clientName;
    this.timer = timer;
    this.background = probes;
    this.quorum = new QuorumWatch(group, members, clients.newAdminClient(), timer, probes);
    this.slots = new RaftSlots(clients, options);
    this.failures = new LaneFailures(group, tuning);
    this.writes = new Batcher<>(options.writeSlots(), options.batchOps(), options.batchBytes(), p -> p.size,
        (slot, ops) -> send(new SentBatch(true, slot, ops)));
    this.reads = new Batcher<>(options.readSlots(), options.batchOps(), options.batchBytes(), p -> p.size,
        (slot, ops) -> send(new SentBatch(false, slot, ops)));
  }

  int group() {
    return group;
  }

  CompletableFuture<Resp> write(List<byte[]> args, RequestId id) {
    return submit(writes, new PendingRequest(args, id, id == null ? sequence.next() : -1), true);
  }

  CompletableFuture<Resp> read(List<byte[]> args) {
    return submit(reads, new PendingRequest(args, null, -1), false);
  }

  private CompletableFuture<Resp> submit(Batcher<PendingRequest> batcher, PendingRequest p, boolean write) {
    if (closed) {
      fail(p, new ClientClosedException());
      return p.result;
    }
    GroupStatus down = quorum.lost();
    if (down != null) {
      fail(p, new NoQuorumException(group, members, down.down(), write));
      return p.result;
    }
    batcher.submit(p);
    return p.result;
  }

  private void send(SentBatch batch) {
    List<EntryCodec.Op> ops = new ArrayList<>(batch.ops.size());
    long floor = sequence.floor();
    for (PendingRequest p : batch.ops) {
      RequestId id = p.id != null ? p.id : batch.write ? new RequestId(clientName, p.seq, Math.min(floor, p.seq)) : null;
      ops.add(new EntryCodec.Op(p.args, id));
    }
    batch.message = Message.valueOf(UnsafeByteOperations.unsafeWrap(EntryCodec.encode(ops)));
    batchesSent.increment();
    opsSent.add(ops.size());
    transmit(batch);
    watch(batch, firstCheckMillis());
  }

  private void transmit(SentBatch batch) {
    slots.send(batch).whenComplete((r, e) -> completed(batch, r, e));
  }

  /* A failover normally takes about one election timeout; probe after twice the longest. */
  private long firstCheckMillis() {
    return 2 * tuning.electionMax().toMillis() + 200;
  }

  private void completed(SentBatch batch, RaftClientReply reply, Throwable error) {
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
    Throwable cause = Errors.unwrap(error);
    if (!closed && !batch.write && LaneFailures.leaderUnknown(cause)
        && System.nanoTime() - batch.sentNanos < tuning.operationTimeout().toNanos()) {
      // An election is under way (a read needs a leader to confirm it is current): ask again
      // shortly, as Ratis does for a write that meets no leader, until the operation timeout.
      timer.schedule(() -> {
        if (!batch.finished.get() && !closed) {
          transmit(batch);
        }
      }, 50, TimeUnit.MILLISECONDS);
      return;
    }
    if (closed) {
      finish(batch, null, new ClientClosedException());
    } else if (cause instanceof GroupMismatchException) {
      finish(batch, null, new GroupUnavailableException(group, "a member does not host this group: the server"
          + " file or --groups differs from the cluster's (" + Errors.oneLine(cause) + ")", cause));
    } else {
      Throwable failure = cause;
      quorum.confirmedProbe().whenComplete((status, e) -> {
        if (status != null && !status.hasQuorum()) {
          declareNoQuorum(status);
          finish(batch, null, new NoQuorumException(group, members, status.down(), batch.write));
        } else {
          finish(batch, null, failures.notAnswered(batch.write, failure));
        }
      });
    }
  }

  private void watch(SentBatch batch, long delayMillis) {
    if (closed) {
      return;
    }
    batch.watchdog = timer.schedule(() -> {
      if (batch.finished.get()) {
        return;
      }
      quorum.confirmedProbe().whenComplete((status, e) -> {
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
          abandon(batch, failures.notAnswered(batch.write, new java.util.concurrent.TimeoutException(
              "no answer within " + waited + " ms")));
        } else {
          watch(batch, QuorumWatch.PROBE_EVERY_MS);
        }
      });
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  /* Fails a batch whose Ratis call is still running, and gives its slot a new Ratis client. */
  private void abandon(SentBatch batch, Throwable failure) {
    RaftClient stuck = slots.replace(batch);
    finish(batch, null, failure);
    background.execute(() -> Errors.closeQuietly(stuck));
  }

  private void finish(SentBatch batch, List<Resp> replies, Throwable failure) {
    if (!batch.finished.compareAndSet(false, true)) {
      return;
    }
    var watchdog = batch.watchdog;
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    for (PendingRequest p : batch.ops) {
      if (p.seq >= 0) {
        sequence.finished(p.seq);
      }
    }
    for (int i = 0; i < batch.ops.size(); i++) {
      PendingRequest p = batch.ops.get(i);
      if (replies != null) {
        p.result.complete(replies.get(i));
      } else {
        p.result.completeExceptionally(failure);
      }
    }
    (batch.write ? writes : reads).done(batch.slot);
  }

  /* No quorum: what waits fails now, and new requests fail at once until the majority is back. */
  private void declareNoQuorum(GroupStatus status) {
    quorum.noQuorum(status);
    for (PendingRequest p : writes.drain()) {
      fail(p, new NoQuorumException(group, members, status.down(), true));
    }
    for (PendingRequest p : reads.drain()) {
      fail(p, new NoQuorumException(group, members, status.down(), false));
    }
  }

  private void fail(PendingRequest p, Throwable failure) {
    if (p.seq >= 0) {
      sequence.finished(p.seq);
    }
    p.result.completeExceptionally(failure);
  }

  /** Asks every member for its view of the group (members that do not answer are down). */
  CompletableFuture<GroupStatus> probe() {
    return quorum.probe();
  }

  /** Batches and requests sent so far. */
  Map<String, Long> counters() {
    return Map.of("batches", batchesSent.sum(), "requests", opsSent.sum());
  }

  @Override
  public void close() {
    closed = true;
    for (PendingRequest p : writes.drain()) {
      fail(p, new ClientClosedException());
    }
    for (PendingRequest p : reads.drain()) {
      fail(p, new ClientClosedException());
    }
    slots.close();
    quorum.close();
  }
}
