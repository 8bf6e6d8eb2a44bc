package kv.server.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Writes one snapshot file (start frame, the source's entries, end frame) and forces it; the
 * caller renames it into place. Stateless; runs on the compaction thread.
 */
final class SnapshotWriter {
  private static final int FLUSH_AT = 1 << 20;

  /** What was written. */
  record Result(long entries, long bytes) {}

  private SnapshotWriter() {}

  /**
   * Writes {@code file} from {@code source} (every entry, tombstones included). Throws
   * CancellationException as soon as {@code cancelled} says so.
   */
  static Result write(Path file, long segment, SnapshotSource source, BooleanSupplier cancelled)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteSink buf = new ByteSink(FLUSH_AT + (1 << 16));
      Frames.appendSnapshotStart(buf, segment, System.currentTimeMillis());
      long[] entries = {0};
      try {
        source.forEach((key, version, value) -> {
          if (cancelled.getAsBoolean()) {
            throw new CancellationException("snapshot abandoned: the durable log is closing");
          }
          Frames.appendEntry(buf, key, version, value);
          entries[0]++;
          if (buf.size() >= FLUSH_AT) {
            try {
              flush(ch, buf);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      Frames.appendSnapshotEnd(buf, entries[0]);
      flush(ch, buf);
      ch.force(true);
      return new Result(entries[0], ch.size());
    }
  }

  private static void flush(FileChannel ch, ByteSink buf) throws IOException {
    var b = buf.asBuffer();
    while (b.hasRemaining()) {
      ch.write(b);
    }
    buf.reset();
  }
}
