package kv.server.durable;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A log segment or snapshot is damaged somewhere other than a torn last write, so the server
 * must not start: the message names the file, the offset and what to do.
 */
public final class CorruptLogException extends IOException {
  private final Path file;
  private final long offset;

  CorruptLogException(Path file, long offset, String message) {
    super(message);
    this.file = file;
    this.offset = offset;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}
