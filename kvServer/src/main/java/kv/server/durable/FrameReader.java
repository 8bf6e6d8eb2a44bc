package kv.server.durable;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the frames of one log segment or snapshot file in order, reporting the first frame that
 * is cut off, fails its checksum or does not decode as a {@link BadFrameException} with its
 * offset. Also tells a torn tail from damage in the middle ({@link #validFrameAfter}). Not
 * thread-safe; one reader per file.
 */
final class FrameReader implements Closeable {
  /** A bad frame: where it starts and what is wrong with it. */
  static final class BadFrameException extends Exception {
    final long offset;
    /** True when the checksum matched but the payload did not decode: never a torn write. */
    final boolean checksumValid;

    BadFrameException(long offset, String reason, boolean checksumValid) {
      super(reason);
      this.offset = offset;
      this.checksumValid = checksumValid;
    }
  }

  private final FileChannel channel;
  private final InputStream in;
  private final long size;
  private final byte[] header = new byte[Frames.HEADER_BYTES];
  private byte[] payload = new byte[4096];
  private long offset;

  FrameReader(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    size = channel.size();
    in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
  }

  /** File size when it was opened (nobody else writes: the directory is locked). */
  long size() {
    return size;
  }

  /** Offset of the next frame: after the last good one. */
  long offset() {
    return offset;
  }

  /** The next frame, or null at a clean end of file. */
  Frames.Frame next() throws IOException, BadFrameException {
    long start = offset;
    long left = size - start;
    if (left == 0) {
      return null;
    }
    if (left < Frames.HEADER_BYTES) {
      throw new BadFrameException(start, "the record header is cut off (" + left + " of "
          + Frames.HEADER_BYTES + " bytes)", false);
    }
    readFully(header, Frames.HEADER_BYTES);
    int length = Frames.getInt(header, 0);
    int crc = Frames.getInt(header, 4);
    if (length < 1 || length > Frames.MAX_PAYLOAD_BYTES) {
      throw new BadFrameException(start, "record length " + length + " (expected: 1.."
          + Frames.MAX_PAYLOAD_BYTES + ")", false);
    }
    if (length > left - Frames.HEADER_BYTES) {
      throw new BadFrameException(start, "the record is cut off (" + (left - Frames.HEADER_BYTES)
          + " of " + length + " bytes)", false);
    }
    if (payload.length < length) {
      payload = new byte[Math.max(length, payload.length * 2)];
    }
    readFully(payload, length);
    if (Frames.crc(payload, 0, length) != crc) {
      throw new BadFrameException(start, "checksum mismatch in a " + length + "-byte record", false);
    }
    Frames.Frame frame;
    try {
      frame = Frames.decode(payload, 0, length);
    } catch (MalformedPayloadException e) {
      throw new BadFrameException(start, "a record with a valid checksum does not decode: " + e.getMessage(), true);
    }
    offset = start + Frames.HEADER_BYTES + length;
    return frame;
  }

  private void readFully(byte[] b, int n) throws IOException {
    int done = 0;
    while (done < n) {
      int r = in.read(b, done, n - done);
      if (r < 0) {
        throw new EOFException("file ended early while reading (size was " + size + " bytes)");
      }
      done += r;
    }
  }

  /**
   * True when a valid frame starts anywhere in ({@code from}, end of file): then the bad frame at
   * {@code from} is damage in the middle, not a torn last write. A tail longer than the largest
   * frame is never a single torn write; it counts as torn only if it is all zeros (what some
   * file systems leave after a crash).
   */
  static boolean validFrameAfter(FileChannel channel, long from, long size) throws IOException {
    long left = size - from;
    if (left > Frames.MAX_PAYLOAD_BYTES + Frames.HEADER_BYTES) {
      return !allZeros(channel, from, size);
    }
    byte[] b = new byte[(int) left];
    readAt(channel, ByteBuffer.wrap(b), from);
    for (int y = 1; y + Frames.HEADER_BYTES < b.length; y++) {
      int length = Frames.getInt(b, y);
      if (length < 1 || length > b.length - y - Frames.HEADER_BYTES) {
        continue;
      }
      if (Frames.crc(b, y + Frames.HEADER_BYTES, length) != Frames.getInt(b, y + 4)) {
        continue;
      }
      try {
        Frames.decode(b, y + Frames.HEADER_BYTES, length);
        return true;
      } catch (MalformedPayloadException e) {
        // a checksum match by chance inside other data; keep looking
      }
    }
    return false;
  }

  /** True when bytes {@code from} to {@code size} are all zeros (or there are none). */
  static boolean allZeros(FileChannel channel, long from, long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    for (long pos = from; pos < size; pos += chunk.limit()) {
      chunk.clear();
      chunk.limit((int) Math.min(chunk.capacity(), size - pos));
      readAt(channel, chunk, pos);
      for (int i = 0; i < chunk.limit(); i++) {
        if (chunk.get(i) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static void readAt(FileChannel channel, ByteBuffer into, long position) throws IOException {
    long pos = position;
    while (into.hasRemaining()) {
      int r = channel.read(into, pos);
      if (r < 0) {
        throw new EOFException("file ended at " + pos + " while reading its tail");
      }
      pos += r;
    }
  }

  FileChannel channel() {
    return channel;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
