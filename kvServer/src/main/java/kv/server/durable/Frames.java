package kv.server.durable;

import java.util.zip.CRC32C;
import kv.record.SetValue;
import kv.record.Value;

/**
 * Encodes and decodes the frames that log segments and snapshots are made of. Stateless and
 * thread-safe.
 */
final class Frames {
  /*
   * Frame: [length int][crc32c int][payload: length bytes], big-endian; crc32c is over the
   * payload; 1 <= length <= MAX_PAYLOAD_BYTES. Payload, first byte the type:
   *   1 PUT             version long, key string, set body (see ValueCodec)
   *   2 TOMBSTONE       version long, key string
   *   3 SNAPSHOT_START  format varint (1), first segment number varint, created millis long
   *   4 SNAPSHOT_END    entry count varint
   *   5 VALUE           version long, key string, tagged value (ValueCodec.writeValue)
   * Log segments hold PUT, VALUE and TOMBSTONE frames only. A snapshot is SNAPSHOT_START, its
   * entries and SNAPSHOT_END; a snapshot without its end frame is damaged, not torn (it was
   * renamed into place only after it was complete and fsynced).
   * A value that is a set (every record, every append's stored form) is written as PUT, as before
   * values of other kinds existed, so logs written by older servers replay unchanged and a log
   * that holds only sets stays readable by them; a list, string, number, boolean or null at a key
   * is a VALUE frame, which an older server refuses by its type number ("written by a newer
   * kvServer?") rather than misreading it.
   */
  static final int HEADER_BYTES = 8;
  /** A 16 MiB record (Limits.DEFAULT) takes at most about twice that in this form. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
  static final int FORMAT = 1;

  static final int PUT = 1;
  static final int TOMBSTONE = 2;
  static final int SNAPSHOT_START = 3;
  static final int SNAPSHOT_END = 4;
  static final int VALUE = 5;

  /** Whether a frame of {@code type} holds an entry (a write: PUT, VALUE or TOMBSTONE). */
  static boolean isEntry(int type) {
    return type == PUT || type == VALUE || type == TOMBSTONE;
  }

  /** One decoded frame; fields that the type does not use are null or 0. */
  record Frame(int type, String key, long version, Value value, long number) {}

  private Frames() {}

  static ByteSink entry(String key, long version, Value valueOrNull) {
    int size = valueOrNull instanceof SetValue set ? 16 * set.size() : 16;
    ByteSink out = new ByteSink(64 + key.length() + size);
    appendEntry(out, key, version, valueOrNull);
    return out;
  }

  /** Appends an entry frame to {@code out} (snapshot writing reuses one buffer). */
  static void appendEntry(ByteSink out, String key, long version, Value valueOrNull) {
    int start = out.size();
    out.putLong(0);
    out.putByte(valueOrNull == null ? TOMBSTONE : valueOrNull instanceof SetValue ? PUT : VALUE);
    out.putLong(version);
    out.putString(key);
    if (valueOrNull instanceof SetValue set) {
      ValueCodec.writeSetBody(out, set);
    } else if (valueOrNull != null) {
      ValueCodec.writeValue(out, valueOrNull);
    }
    seal(out, start);
  }

  static void appendSnapshotStart(ByteSink out, long firstSegment, long createdMillis) {
    int start = out.size();
    out.putLong(0);
    out.putByte(SNAPSHOT_START);
    out.putVarLong(FORMAT);
    out.putVarLong(firstSegment);
    out.putLong(createdMillis);
    seal(out, start);
  }

  static void appendSnapshotEnd(ByteSink out, long entries) {
    int start = out.size();
    out.putLong(0);
    out.putByte(SNAPSHOT_END);
    out.putVarLong(entries);
    seal(out, start);
  }

  /** Fills in length and checksum of the frame that starts at {@code start}. */
  private static void seal(ByteSink out, int start) {
    int length = out.size() - start - HEADER_BYTES;
    if (length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("record size in the log: " + length + " bytes (expected: <= "
          + MAX_PAYLOAD_BYTES + ")");
    }
    out.setInt(start, length);
    out.setInt(start + 4, crc(out.array(), start + HEADER_BYTES, length));
  }

  static int crc(byte[] b, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, offset, length);
    return (int) crc.getValue();
  }

  static int getInt(byte[] b, int pos) {
    return ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
  }

  /** Decodes a payload whose checksum matched; throws MalformedPayloadException if it does not decode. */
  static Frame decode(byte[] payload, int offset, int length) {
    ByteReader in = new ByteReader(payload, offset, length);
    int type = in.getByte("record type");
    Frame frame;
    switch (type) {
      case PUT: {
        long version = in.getLong("version");
        String key = in.getString("key");
        frame = new Frame(PUT, key, version, ValueCodec.readSetBody(in, 1), 0);
        break;
      }
      case VALUE: {
        long version = in.getLong("version");
        String key = in.getString("key");
        frame = new Frame(VALUE, key, version, ValueCodec.readValue(in, 1), 0);
        break;
      }
      case TOMBSTONE: {
        long version = in.getLong("version");
        frame = new Frame(TOMBSTONE, in.getString("key"), version, null, 0);
        break;
      }
      case SNAPSHOT_START: {
        long format = in.getVarLong("format");
        if (format != FORMAT) {
          throw new MalformedPayloadException("snapshot format: " + format + " (expected: " + FORMAT
              + "; written by a newer kvServer?)");
        }
        long first = in.getVarLong("first segment");
        in.getLong("created");
        frame = new Frame(SNAPSHOT_START, null, 0, null, first);
        break;
      }
      case SNAPSHOT_END:
        frame = new Frame(SNAPSHOT_END, null, 0, null, in.getVarLong("entry count"));
        break;
      default:
        throw new MalformedPayloadException("record type: " + type + " (expected: 1..5; written by a newer kvServer?)");
    }
    if (in.remaining() != 0) {
      throw new MalformedPayloadException("record: " + in.remaining() + " unexpected bytes after the end");
    }
    return frame;
  }
}
