package kv.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's state machine: applies each committed entry's batch of RESP requests to an
 * {@link Applier} in order (versions from the log index), a {@link Transaction} as one step that
 * no read sees part of, answers read batches from it, keeps the at-most-once {@link Sessions},
 * and writes and loads snapshots (one file per snapshot in Ratis's state machine folder of the
 * group). Ratis calls apply and snapshot on one thread and reads on others; the sessions and
 * snapshots are guarded by this object's lock, transactions against reads by a read-write lock.
 */
public final class KvStateMachine extends BaseStateMachine {
  /*
   * Snapshot file: "KVSNAP1\n", the sessions (Sessions.writeTo), then the applier's state
   * (Applier.save). Written to a .tmp file, forced, renamed into place, then its MD5 file is
   * written (Ratis checks it when loading and when sending the snapshot to a lagging member).
   *
   * Nothing in apply may depend on anything but the entry and the state: a request that fails
   * gets an error reply (the same on every member), an entry that is not RESP gets one error
   * reply, and nothing here throws (Ratis stops the server when applyTransaction throws).
   */
  private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);
  private static final byte[] MAGIC = "KVSNAP1\n".getBytes(StandardCharsets.US_ASCII);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Applier applier;
  private final Sessions sessions = new Sessions();
  /*
   * Isolation of transactions: reads (query, on Ratis's read threads) hold the read lock, a
   * transaction's steps are applied under the write lock, so no read sees part of one. A plain
   * write is one step of the applier, atomic by itself, and takes no lock; a read batch holds the
   * read lock for its reads only (a transaction waits for them, they never wait for each other).
   */
  private final java.util.concurrent.locks.ReadWriteLock isolation = new java.util.concurrent.locks.ReentrantReadWriteLock();

  public KvStateMachine(Applier applier) {
    this.applier = applier;
  }

  /** The data of this group on this server (possibly behind the leader's). */
  public Applier applier() {
    return applier;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      load(storage.loadLatestSnapshot());
    });
  }

  /* Before a snapshot from the leader is installed (Ratis then calls reinitialize). */
  @Override
  public synchronized void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public synchronized void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
    byte[] reply;
    synchronized (this) {
      reply = applyEntry(entry.getIndex(), data);
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
  }

  private byte[] applyEntry(long index, ByteBuffer data) {
    List<EntryCodec.Op> ops;
    try {
      ops = EntryCodec.decode(data);
    } catch (MalformedEntryException e) {
      LOG.warn("group {}: entry {} is not a batch of RESP requests ({}); answered with an error",
          getGroupId(), index, e.getMessage());
      return RespEncoder.encode(new Resp.Error("ERR malformed entry " + index + ": " + e.getMessage()));
    }
    LogVersions versions = new LogVersions(index);
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * ops.size() + 16);
    for (EntryCodec.Op op : ops) {
      RequestId id = op.id();
      if (id == null) {
        out.writeBytes(RespEncoder.encode(apply(op, versions)));
        continue;
      }
      Sessions.Check check = sessions.check(id);
      if (check instanceof Sessions.Duplicate d) {
        out.writeBytes(d.reply());
      } else if (check instanceof Sessions.TooOld t) {
        out.writeBytes(RespEncoder.encode(new Resp.Error("ERR request " + id + " is below its client's floor "
            + t.floor() + ": it was answered before and is not applied again")));
      } else {
        byte[] r = RespEncoder.encode(apply(op, versions));
        sessions.record(id, r);
        out.writeBytes(r);
      }
    }
    return out.toByteArray();
  }

  private Resp apply(EntryCodec.Op op, LogVersions versions) {
    if (Transaction.isTransaction(op.args())) {
      return applyTransaction(op, versions);
    }
    try {
      return applier.apply(op.request(), versions);
    } catch (RuntimeException e) {
      LOG.error("group {}: applying {} failed", getGroupId(), op.request(), e);
      return new Resp.Error("ERR internal error: " + e);
    }
  }

  /* Every step in order under the write lock; the reply is the array of the steps' replies. */
  private Resp applyTransaction(EntryCodec.Op op, LogVersions versions) {
    Transaction txn;
    try {
      txn = Transaction.fromRequest(op.args());
    } catch (MalformedEntryException e) {
      return new Resp.Error("ERR malformed transaction: " + e.getMessage());
    }
    List<Resp> replies = new ArrayList<>(txn.steps().size());
    isolation.writeLock().lock();
    try {
      for (Transaction.Step step : txn.steps()) {
        kv.resp.Request request = new kv.resp.Request(step.request(), null);
        try {
          replies.add(step.write() ? applier.apply(request, versions) : applier.read(request));
        } catch (RuntimeException e) {
          LOG.error("group {}: applying {} of a transaction failed", getGroupId(), request, e);
          replies.add(new Resp.Error("ERR internal error: " + e));
        }
      }
    } finally {
      isolation.writeLock().unlock();
    }
    return new Resp.Array(replies);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    List<EntryCodec.Op> ops;
    try {
      ops = EntryCodec.decode(request.getContent().asReadOnlyByteBuffer());
    } catch (MalformedEntryException e) {
      return CompletableFuture.completedFuture(message(List.of(new Resp.Error("ERR malformed read: " + e.getMessage()))));
    }
    List<Resp> replies = new ArrayList<>(ops.size());
    isolation.readLock().lock();
    try {
      for (EntryCodec.Op op : ops) {
        try {
          replies.add(applier.read(op.request()));
        } catch (RuntimeException e) {
          LOG.error("group {}: reading {} failed", getGroupId(), op.request(), e);
          replies.add(new Resp.Error("ERR internal error: " + e));
        }
      }
    } finally {
      isolation.readLock().unlock();
    }
    return CompletableFuture.completedFuture(message(replies));
  }

  private static Message message(List<Resp> replies) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(EntryCodec.encodeReplies(replies)));
  }

  @Override
  public synchronized long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
    long started = System.nanoTime();
    try (FileChannel ch = FileChannel.open(tmp.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
      out.write(MAGIC);
      sessions.writeTo(out);
      applier.save(out);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    LOG.info("group {}: snapshot at index {} ({} records, {} bytes) in {} ms", getGroupId(), last.getIndex(),
        applier.size(), file.length(), (System.nanoTime() - started) / 1_000_000);
    return last.getIndex();
  }

  private synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
    applier.clear();
    sessions.clear();
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file, md5);
    }
    TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file);
    try (InputStream raw = Files.newInputStream(file.toPath());
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a kv snapshot (expected: it to start with KVSNAP1)");
      }
      sessions.readFrom(in);
      applier.load(in);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot load snapshot " + file + ": " + e.getMessage(), e);
    }
    setLastAppliedTermIndex(last);
    LOG.info("group {}: loaded snapshot at index {} ({} records)", getGroupId(), last.getIndex(), applier.size());
  }

  /** At-most-once table sizes, for status: clients and remembered replies. */
  public synchronized long[] sessionCounts() {
    return new long[] {sessions.clientCount(), sessions.replyCount()};
  }
}
