package kv.server.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One open log segment file. Writes and probes come from {@link LogWriter} under its I/O lock;
 * force and close may come from the flusher and compaction threads, so they synchronise on this
 * object. A write that fails is cut off again, so the file always ends after a whole frame.
 */
final class Segment {
  /** A failed write or probe could not be cut off: the file may end in a partial frame. */
  static final class CutOffFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    CutOffFailedException(IOException writeFailure, IOException cutFailure) {
      super(writeFailure.getMessage() + ", and cutting off what was partly written failed too ("
          + cutFailure.getMessage() + ")", writeFailure);
      addSuppressed(cutFailure);
    }
  }

  final long number;
  final Path path;
  private final FileChannel channel;
  /** Where the last whole write ended: the next one starts here. Under the writer's I/O lock. */
  private long end;
  private volatile boolean dirty;
  private boolean closed;

  private Segment(long number, Path path, FileChannel channel, long end) {
    this.number = number;
    this.path = path;
    this.channel = channel;
    this.end = end;
  }

  /** Opens (creating if needed) {@code path} through {@code files} for appending at {@code position}. */
  static Segment open(SegmentFiles files, long number, Path path, long position) throws IOException {
    FileChannel channel = files.open(path);
    try {
      channel.position(position);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new Segment(number, path, channel, position);
  }

  /**
   * Writes all of {@code buffer} at the end. If that fails (a full disk), whatever part was
   * written is cut off before the failure is thrown; if cutting off fails too, the exception is
   * a {@link CutOffFailedException}. Caller holds the writer's I/O lock.
   */
  void write(ByteBuffer buffer) throws IOException {
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      cutBack(e);
      throw e;
    }
    end = channel.position();
    dirty = true; // after the write: if a concurrent force missed it, the next one will not
  }

  /**
   * Checks that {@code bytes} more would fit: writes that many zeros after the end and cuts them
   * off again, whether the write worked or not (a crash in between leaves a zero-filled tail,
   * which replay drops). Throws the write's failure. Caller holds the writer's I/O lock.
   */
  void probe(int bytes) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(bytes);
    try {
      long at = end;
      while (zeros.hasRemaining()) {
        at += channel.write(zeros, at);
      }
    } catch (IOException e) {
      cutBack(e);
      throw e;
    }
    cutBack(null);
  }

  private void cutBack(IOException cause) throws CutOffFailedException {
    try {
      channel.truncate(end);
      channel.position(end);
    } catch (IOException e) {
      throw new CutOffFailedException(cause != null ? cause : e, e);
    }
  }

  long size() throws IOException {
    return channel.size();
  }

  /** Forces written data to the disk if anything was written since the last force. */
  synchronized void force() throws IOException {
    if (closed || !dirty) {
      return;
    }
    dirty = false;
    try {
      channel.force(false);
    } catch (IOException e) {
      dirty = true;
      throw e;
    }
  }

  /** Forces and closes; later force calls do nothing. */
  synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      force();
    } finally {
      closed = true;
      channel.close();
    }
  }
}
