package kv.server.durable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the file channel a log segment is written through: the file system behind a narrow
 * interface, so that tests can put a full or slow disk behind a real log. Implementations are
 * thread-safe.
 */
@FunctionalInterface
interface SegmentFiles {
  /** The real file system: creates the file if needed, opened for writing. */
  SegmentFiles DEFAULT = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);

  FileChannel open(Path path) throws IOException;
}
