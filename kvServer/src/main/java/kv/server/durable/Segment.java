package kv.server.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One open log segment file. Writes come from {@link LogWriter} under its I/O lock; force and
 * close may come from the flusher and compaction threads, so they synchronise on this object.
 */
final class Segment {
  final long number;
  final Path path;
  private final FileChannel channel;
  private volatile boolean dirty;
  private boolean closed;

  private Segment(long number, Path path, FileChannel channel) {
    this.number = number;
    this.path = path;
    this.channel = channel;
  }

  /** Opens (creating if needed) {@code path} for appending at {@code position}. */
  static Segment open(long number, Path path, long position) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      channel.position(position);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new Segment(number, path, channel);
  }

  /** Writes all of {@code buffer} at the current end. Caller holds the writer's I/O lock. */
  void write(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    dirty = true; // after the write: if a concurrent force missed it, the next one will not
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
