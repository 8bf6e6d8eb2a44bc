package kv.createdata;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file completely or not at all: the text goes to a hidden temporary file next to the
 * target, which is renamed over the target only when everything is written. On failure, and on
 * Ctrl-C or SIGTERM (a shutdown hook), the temporary file is deleted. Stateless.
 */
final class AtomicFile {
  /** The body that writes the content; may throw. */
  interface Body {
    void writeTo(Writer out) throws IOException;
  }

  private AtomicFile() {}

  static void write(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = createTemp(dir, target.getFileName().toString());
    Thread cleanup = new Thread(() -> deleteQuietly(temp), "createData-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean moved = false;
    try {
      try (Writer out = new BufferedWriter(
          new OutputStreamWriter(Files.newOutputStream(temp, StandardOpenOption.WRITE), StandardCharsets.UTF_8),
          1 << 16)) {
        body.writeTo(out);
      }
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting and runs the hook anyway
      }
    }
  }

  /*
   * Not Files.createTempFile: that creates the file with mode 0600, and the renamed result would
   * keep it; CREATE_NEW gives the usual permissions (umask) and still never clobbers a file.
   */
  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: nothing more can be done about a temporary file that cannot be deleted
    }
  }
}
