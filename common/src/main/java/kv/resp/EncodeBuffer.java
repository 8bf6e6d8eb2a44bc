package kv.resp;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that {@link RespEncoder} writes a connection's replies or requests into,
 * handed to the socket's buffer in one copy; reused by one connection. Not thread-safe: confined to
 * the connection's event loop.
 */
public final class EncodeBuffer extends OutputStream {
  /*
   * Why not write into the Netty ByteBuf through ByteBufOutputStream: every small write there (a
   * header, the bytes, CRLF: three per bulk string) checks the buffer's reference count (a volatile
   * read), its bounds and its capacity; profiles of the broker's pipelined GET put ~10 % of its CPU
   * in those checks. Here a write is a bounds check and an arraycopy, and the socket's buffer is
   * allocated once at the size it needs. Unsynchronized, unlike ByteArrayOutputStream.
   */
  /** Arrays up to this size are kept between uses; a larger one (a big reply) is dropped. */
  static final int KEPT = 8 * 1024;

  private byte[] bytes = RespBytes.EMPTY;
  private int size;

  @Override
  public void write(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** The bytes written since the last {@link #reset}, from index 0 to {@link #size}. */
  public byte[] array() {
    return bytes;
  }

  /** How many bytes were written since the last {@link #reset}. */
  public int size() {
    return size;
  }

  /** Empties the buffer for the next use, keeping its array unless it grew past {@value #KEPT} bytes. */
  public void reset() {
    size = 0;
    if (bytes.length > KEPT) {
      bytes = RespBytes.EMPTY;
    }
  }

  /** Forgets the last {@code size() - mark} bytes (an encoding that failed halfway). */
  public void truncate(int mark) {
    if (mark < 0 || mark > size) {
      throw new IllegalArgumentException("mark: " + mark + " (expected: 0.." + size + ")");
    }
    size = mark;
  }

  private void ensure(int more) {
    int needed = size + more;
    if (needed < 0) {
      throw new OutOfMemoryError("encode buffer: " + size + " + " + more + " bytes (expected: < 2^31)");
    }
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, Math.max(256, bytes.length * 2)));
    }
  }
}
