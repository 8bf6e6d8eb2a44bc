package kv.server.durable;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Appends frames to the current segment with group commit: callers copy their frame into a
 * shared batch under a short lock ({@link #enqueue}), then whoever gets the I/O lock writes the
 * whole batch in one system call (and, with {@link FsyncPolicy#ALWAYS}, one fsync), so the
 * threads that queued behind it usually find their frame already written ({@link #await}).
 * Thread-safe.
 */
final class LogWriter {
  /*
   * Locks: bufLock guards pending, appended and closed, and is held only to copy bytes in or swap
   * batches; ioLock guards the segment's end, the segment switch and every write. Lock order is
   * ioLock then bufLock. Frames get sequence numbers in the order they are enqueued; a frame is
   * forced (under ALWAYS) once forced >= its number and its batch was written.
   *
   * Two kinds of failure:
   *  - A write fails (ENOSPC: a full disk; EDQUOT): the batch's part that reached the file is cut
   *    off again (Segment.write), so the file still ends after a whole frame, and every frame of
   *    the batch fails: its caller has applied nothing and acknowledges nothing. The writer stays
   *    usable; writeFailure says why it is not writable now, until a later batch (every new write
   *    tries) or a probe (DurableLog runs one every second) succeeds.
   *  - An fsync fails, or a failed write cannot be cut off: data may be lost without a trace (the
   *    "fsyncgate" lesson: the kernel may drop the dirty pages and report success next time), so
   *    the writer fails for good: every later append throws, and the next start replays what the
   *    disk really holds.
   */
  private static final int SHRINK_ABOVE = 4 * 1024 * 1024;
  private static final int MAX_PROBE_BYTES = 1 << 20;

  /** What a caller waits on: the batch its frame is in, and the frame's sequence number. */
  static final class Ticket {
    private final Batch batch;
    private final long seq;

    private Ticket(Batch batch, long seq) {
      this.batch = batch;
      this.seq = seq;
    }
  }

  /** Frames written together; done and failure are set under ioLock once it was written (or not). */
  private static final class Batch {
    ByteSink bytes;
    volatile boolean done;
    volatile IOException failure;

    Batch(ByteSink bytes) {
      this.bytes = bytes;
    }
  }

  private final FsyncPolicy policy;
  private final LongConsumer onWritten;
  private final ReentrantLock bufLock = new ReentrantLock();
  private final ReentrantLock ioLock = new ReentrantLock();
  private Batch pending = new Batch(new ByteSink(1 << 16));
  private ByteSink spare = new ByteSink(1 << 16);
  private long appended;
  private volatile boolean closed;
  private volatile long written;
  private volatile long forced;
  private volatile Segment segment;
  /** The failure of the last batch written, until one succeeds (or a probe does); null: writable. */
  private volatile IOException writeFailure;
  private volatile int failedBatchBytes;
  /** Set once: an fsync failed, or a failed write could not be cut off. */
  private volatile IOException fatal;

  /** {@code onWritten} gets the byte count of each batch written, under the I/O lock. */
  LogWriter(Segment initial, FsyncPolicy policy, LongConsumer onWritten) {
    this.segment = initial;
    this.policy = policy;
    this.onWritten = onWritten;
  }

  /** {@link #enqueue} and {@link #await}. */
  void append(ByteSink frame) throws IOException {
    await(enqueue(frame));
  }

  /** Copies {@code frame} into the next batch. Throws if the writer is closed or failed for good. */
  Ticket enqueue(ByteSink frame) throws IOException {
    bufLock.lock();
    try {
      checkUsable();
      pending.bytes.put(frame.array(), 0, frame.size());
      return new Ticket(pending, ++appended);
    } finally {
      bufLock.unlock();
    }
  }

  /**
   * Returns once the ticket's frame is written (the OS has it: it survives the process being
   * killed) and, under {@link FsyncPolicy#ALWAYS}, forced to the disk; throws if its batch could
   * not be written or forced.
   */
  void await(Ticket ticket) throws IOException {
    Batch batch = ticket.batch;
    if (batch.done && batch.failure == null && (policy != FsyncPolicy.ALWAYS || forced >= ticket.seq)) {
      return;
    }
    ioLock.lock();
    try {
      if (!batch.done) {
        writeBatch(); // not done under ioLock: it is still the pending batch
      }
      if (batch.failure != null) {
        throw batch.failure;
      }
      if (policy == FsyncPolicy.ALWAYS && forced < ticket.seq) {
        if (fatal != null) {
          throw failedForGood();
        }
        long upTo = written;
        try {
          segment.force();
        } catch (IOException e) {
          fatal = e;
          throw e;
        }
        forced = upTo;
      }
    } finally {
      ioLock.unlock();
    }
  }

  /** Writes the pending batch and marks it done, failed or not. Caller holds ioLock. */
  private void writeBatch() {
    Batch batch;
    long upTo;
    bufLock.lock();
    try {
      batch = pending;
      pending = new Batch(spare != null ? spare : new ByteSink(1 << 16));
      spare = null;
      upTo = appended;
    } finally {
      bufLock.unlock();
    }
    ByteSink bytes = batch.bytes;
    int n = bytes.size();
    try {
      if (n > 0) {
        if (fatal != null) {
          batch.failure = failedForGood();
        } else {
          try {
            segment.write(bytes.asBuffer());
            writeFailure = null;
            onWritten.accept(n);
          } catch (Segment.CutOffFailedException e) {
            fatal = e;
            batch.failure = e;
          } catch (IOException e) {
            writeFailure = e;
            failedBatchBytes = n;
            batch.failure = e;
          }
        }
      }
    } finally {
      written = upTo;
      batch.done = true;
      batch.bytes = null;
      if (bytes.capacity() > SHRINK_ABOVE) {
        bytes = new ByteSink(1 << 16);
      } else {
        bytes.reset();
      }
      bufLock.lock();
      try {
        spare = bytes;
      } finally {
        bufLock.unlock();
      }
    }
  }

  /** Creates the segment that follows the current one (see {@link #rollOver}). */
  @FunctionalInterface
  interface SegmentOpener {
    Segment create(long number) throws IOException;
  }

  /**
   * Writes what is buffered to the current segment and forces it (whatever the policy), then,
   * still holding the I/O lock so that no append can reach the old segment any more, has
   * {@code opener} create the next one and sends later appends there. Returns the old segment,
   * open and forced. If the write, the force or the opener fails, appends stay on the old segment.
   */
  Segment rollOver(SegmentOpener opener) throws IOException {
    ioLock.lock();
    try {
      checkUsable();
      writeBatch();
      if (fatal != null) {
        throw failedForGood();
      }
      if (writeFailure != null) {
        throw writeFailure; // the disk is full: a new segment would not help
      }
      Segment old = segment;
      try {
        old.force();
      } catch (IOException e) {
        fatal = e;
        throw e;
      }
      forced = written;
      segment = opener.create(old.number + 1);
      return old;
    } finally {
      ioLock.unlock();
    }
  }

  /** Null when appends are written; else why not (the last write's or fsync's failure). */
  IOException unwritable() {
    IOException f = fatal;
    return f != null ? f : writeFailure;
  }

  /** True once an fsync failed (or a failed write could not be cut off): no append will work again. */
  boolean failedForGoodYet() {
    return fatal != null;
  }

  /** False while the last write failed, and for good after an fsync failed. */
  boolean usable() {
    return unwritable() == null;
  }

  /**
   * While the last batch failed to be written (and nothing failed for good): checks whether as
   * many bytes would fit now, writing zeros after the segment's end and cutting them off again;
   * if they do, the writer counts as writable again. Returns whether it is writable afterwards.
   */
  boolean probe() {
    ioLock.lock();
    try {
      if (writeFailure == null || fatal != null || closed) {
        return usable();
      }
      try {
        segment.probe(Math.max(4096, Math.min(failedBatchBytes, MAX_PROBE_BYTES)));
        writeFailure = null;
      } catch (Segment.CutOffFailedException e) {
        fatal = e;
      } catch (IOException e) {
        writeFailure = e;
      }
      return usable();
    } finally {
      ioLock.unlock();
    }
  }

  long currentSegmentNumber() {
    return segment.number;
  }

  /** For the flusher thread: fsync the current segment if it has unforced writes. */
  void forceCurrent() throws IOException {
    if (fatal != null) {
      return;
    }
    try {
      segment.force();
    } catch (IOException e) {
      fatal = e;
      throw e;
    }
  }

  /** Rejects new appends, writes what is buffered, forces and closes the current segment. */
  void close() throws IOException {
    bufLock.lock();
    try {
      closed = true;
    } finally {
      bufLock.unlock();
    }
    ioLock.lock();
    try {
      try {
        writeBatch();
      } finally {
        segment.close();
      }
      forced = written;
    } finally {
      ioLock.unlock();
    }
  }

  private void checkUsable() throws IOException {
    if (fatal != null) {
      throw failedForGood();
    }
    if (closed) {
      throw new IllegalStateException("durable log: closed (expected: appends before close)");
    }
  }

  private IOException failedForGood() {
    return new IOException("it failed for good earlier (" + fatal.getMessage() + ") and what the disk holds"
        + " is uncertain; restart the server once the cause is fixed", fatal);
  }
}
