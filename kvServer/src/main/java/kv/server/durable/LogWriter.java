package kv.server.durable;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Appends frames to the current segment with group commit: callers copy their frame into a
 * shared buffer under a short lock, then whoever gets the I/O lock writes everything buffered so
 * far in one system call (and, with {@link FsyncPolicy#ALWAYS}, one fsync), so the threads that
 * queued behind it usually find their frame already written. Thread-safe.
 */
final class LogWriter {
  /*
   * Locks: bufLock guards pending/appended/closed and is held only to copy bytes in or swap
   * buffers; ioLock guards the segment's file position, spare and the segment switch. Lock order
   * is ioLock then bufLock. A frame with sequence number s is written once written >= s and
   * forced (under ALWAYS) once forced >= s.
   *
   * After a failed write or fsync the segment may end in a partial frame, and data may be lost
   * without a trace (the "fsyncgate" lesson), so the writer fails for good: every later append
   * throws, the partial frame stays the last thing in the file, and the next start drops it as
   * a torn write.
   */
  private static final int SHRINK_ABOVE = 4 * 1024 * 1024;

  private final FsyncPolicy policy;
  private final LongConsumer onWritten;
  private final ReentrantLock bufLock = new ReentrantLock();
  private final ReentrantLock ioLock = new ReentrantLock();
  private ByteSink pending = new ByteSink(1 << 16);
  private ByteSink spare = new ByteSink(1 << 16);
  private long appended;
  private boolean closed;
  private volatile long written;
  private volatile long forced;
  private volatile Segment segment;
  private volatile IOException failure;

  /** {@code onWritten} gets the byte count of each batch, under the I/O lock. */
  LogWriter(Segment initial, FsyncPolicy policy, LongConsumer onWritten) {
    this.segment = initial;
    this.policy = policy;
    this.onWritten = onWritten;
  }

  void append(ByteSink frame) throws IOException {
    long seq;
    bufLock.lock();
    try {
      checkUsable();
      pending.put(frame.array(), 0, frame.size());
      seq = ++appended;
    } finally {
      bufLock.unlock();
    }
    if (written >= seq && (policy != FsyncPolicy.ALWAYS || forced >= seq)) {
      return;
    }
    ioLock.lock();
    try {
      if (written < seq) {
        writeBatch();
      }
      if (written < seq) {
        throw failed(); // our frame was in a batch that failed
      }
      if (policy == FsyncPolicy.ALWAYS && forced < seq) {
        long upTo = written;
        try {
          segment.force();
        } catch (IOException e) {
          fail(e);
          throw e;
        }
        forced = upTo;
      }
    } finally {
      ioLock.unlock();
    }
  }

  /** Writes everything buffered. Caller holds ioLock. */
  private void writeBatch() throws IOException {
    if (failure != null) {
      return;
    }
    long upTo;
    ByteSink batch;
    bufLock.lock();
    try {
      batch = pending;
      pending = spare;
      spare = batch;
      upTo = appended;
    } finally {
      bufLock.unlock();
    }
    int n = batch.size();
    if (n > 0) {
      try {
        segment.write(batch.asBuffer());
      } catch (IOException e) {
        fail(e);
        throw e;
      } finally {
        if (batch.capacity() > SHRINK_ABOVE) {
          spare = new ByteSink(1 << 16);
        } else {
          batch.reset();
        }
      }
      onWritten.accept(n);
    }
    written = upTo;
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
   * open and forced. If the force or the opener fails, appends stay on the old segment.
   */
  Segment rollOver(SegmentOpener opener) throws IOException {
    ioLock.lock();
    try {
      checkUsable();
      writeBatch();
      checkUsable();
      Segment old = segment;
      try {
        old.force();
      } catch (IOException e) {
        fail(e);
        throw e;
      }
      forced = written;
      segment = opener.create(old.number + 1);
      return old;
    } finally {
      ioLock.unlock();
    }
  }

  /** False once a write or fsync failed (every append throws from then on). */
  boolean usable() {
    return failure == null;
  }

  long currentSegmentNumber() {
    return segment.number;
  }

  /** For the flusher thread: fsync the current segment if it has unforced writes. */
  void forceCurrent() throws IOException {
    if (failure != null) {
      return;
    }
    try {
      segment.force();
    } catch (IOException e) {
      fail(e);
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
    if (failure != null) {
      throw failed();
    }
    if (closed) {
      throw new IllegalStateException("durable log: closed (expected: appends before close)");
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
  }

  private IOException failed() {
    return new IOException("durable log: unusable after an earlier write error (" + failure.getMessage()
        + "); restart the server once the cause is fixed", failure);
  }
}
