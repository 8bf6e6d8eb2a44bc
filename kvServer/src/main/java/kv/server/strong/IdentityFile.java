package kv.server.strong;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import kv.raft.ClusterIdentity;

/**
 * The cluster identity a strong-mode server records in its data directory at its first start
 * ({@code cluster.txt}) and checks at every later start: a start with another G, k or server
 * list is refused with one line saying what differs. Stateless.
 */
final class IdentityFile {
  static final String NAME = "cluster.txt";

  private IdentityFile() {}

  /**
   * Records {@code identity} in {@code dir} if nothing is recorded yet; otherwise returns what
   * differs from the recorded one, in one line (empty when it is the same cluster).
   *
   * @throws IOException when the file cannot be read, parsed or written (the message names it)
   */
  static Optional<String> checkOrRecord(Path dir, ClusterIdentity identity) throws IOException {
    Path file = dir.resolve(NAME);
    if (Files.exists(file)) {
      ClusterIdentity recorded;
      try {
        recorded = ClusterIdentity.parseText(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage() + " (the cluster identity recorded at this server's first start;"
            + " restore it, or move " + dir + " away to start a new cluster)", e);
      }
      return identity.mismatch(recorded, file + " at this server's first start");
    }
    Files.createDirectories(dir);
    Path tmp = dir.resolve(NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(identity.toText().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot force a directory; the rename is then as durable as they allow
    }
    return Optional.empty();
  }
}
