package kv.server.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk under a real {@link DurableLog}, with two faults a test can switch: full (a write
 * stores what fits in {@code partialBytes}, then fails with "No space left on device", as a short
 * write followed by ENOSPC does) and slow fsyncs (held until released). Public so that tests in
 * kv.server can put a Store on it. Thread-safe.
 */
public final class TestDisk {
  private volatile boolean full;
  private volatile int partialBytes;
  private volatile CountDownLatch forcesHeld;
  private volatile boolean forcesFail;
  private final AtomicInteger forcesStarted = new AtomicInteger();
  private final AtomicInteger forcesCompleted = new AtomicInteger();
  private final AtomicInteger failedWrites = new AtomicInteger();

  /** Opens a log whose segments are written through this disk. */
  public static DurableLog open(DurableConfig config, EntryVisitor replayTo, SnapshotSource source, TestDisk disk)
      throws IOException {
    return DurableLog.open(config, replayTo, source, disk::channel);
  }

  /** From now on writes store at most {@code partialBytes} each and then fail (full); or work again. */
  public void full(boolean isFull, int partialBytes) {
    this.partialBytes = partialBytes;
    this.full = isFull;
  }

  /** Fsyncs from now on fail with "Input/output error" (as after a disk error). */
  public void failForces() {
    forcesFail = true;
  }

  /** Fsyncs from now on block until {@link #releaseForces}. */
  public void holdForces() {
    forcesHeld = new CountDownLatch(1);
  }

  public void releaseForces() {
    CountDownLatch held = forcesHeld;
    forcesHeld = null;
    if (held != null) {
      held.countDown();
    }
  }

  public int forcesStarted() {
    return forcesStarted.get();
  }

  public int forcesCompleted() {
    return forcesCompleted.get();
  }

  public int failedWrites() {
    return failedWrites.get();
  }

  /** Segments written through this disk. */
  SegmentFiles files() {
    return this::channel;
  }

  private FileChannel channel(Path path) throws IOException {
    return new Channel(SegmentFiles.DEFAULT.open(path));
  }

  private int write(FileChannel real, ByteBuffer src, long position) throws IOException {
    if (!full) {
      return position < 0 ? real.write(src) : real.write(src, position);
    }
    int n = Math.min(src.remaining(), partialBytes);
    if (n > 0) {
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + n);
      int done = position < 0 ? real.write(part) : real.write(part, position);
      src.position(src.position() + done);
      partialBytes -= done; // the rest of the disk is full
      return done;
    }
    failedWrites.incrementAndGet();
    throw new IOException("No space left on device");
  }

  private void force(FileChannel real, boolean metaData) throws IOException {
    forcesStarted.incrementAndGet();
    CountDownLatch held = forcesHeld;
    if (held != null) {
      try {
        if (!held.await(60, TimeUnit.SECONDS)) {
          throw new IOException("test disk: a held fsync was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    if (forcesFail) {
      throw new IOException("Input/output error");
    }
    real.force(metaData);
    forcesCompleted.incrementAndGet();
  }

  /** A real channel with this disk's faults on write and force. */
  private final class Channel extends FileChannel {
    private final FileChannel real;

    Channel(FileChannel real) {
      this.real = real;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return TestDisk.this.write(real, src, -1);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return TestDisk.this.write(real, src, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      TestDisk.this.force(real, metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return real.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      real.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      real.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      return real.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      real.close();
    }
  }
}
