package kv.server.durable;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One locked data directory: file names, listing, deleting superseded files and fsyncing the
 * directory itself. Holds the {@code LOCK} file's lock from {@link #lock} until {@link #close}.
 * Thread-safe (stateless apart from the lock).
 */
final class DataDirectory implements Closeable {
  /*
   * Layout of a data directory (numbers are zero-padded to at least 6 digits):
   *
   *   LOCK                 locked with FileChannel.tryLock while a kvServer uses the directory;
   *                        holds that server's pid. Never deleted (deleting lock files races).
   *   snapshot.000012      every entry (live records and tombstones) as of the moment log.000012
   *                        was started; written as snapshot.000012.tmp, fsynced, renamed, and the
   *                        directory fsynced, so it is either complete or absent.
   *   snapshot.000012.tmp  a snapshot being written, or left by a crash: ignored, deleted at start.
   *   log.000012           writes since that moment, appended in order.
   *   log.000013 ...       later segments; a compaction starts a new one.
   *
   * Start-up replays the newest snapshot.N (if any), then log.M for every M >= N in ascending
   * order. Older snapshots and log.M with M < N are what a crash in the middle of a compaction
   * leaves behind: superseded by snapshot.N, deleted once the replay succeeded. Unknown files
   * are left alone.
   */
  static final String LOCK = "LOCK";
  private static final Pattern LOG = Pattern.compile("log\\.(\\d{6,18})");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d{6,18})");
  private static final Pattern TEMP = Pattern.compile("snapshot\\.(\\d{6,18})\\.tmp");
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

  /** What a directory holds: the newest snapshot (-1: none) and the log segments to replay. */
  record Layout(long snapshot, List<Long> segments) {}

  private final Path dir;
  private final Path shownAs;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path dir, Path shownAs, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.shownAs = shownAs;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it; fails with a clear message if it is in use. */
  static DataDirectory lock(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("data directory " + shown(dir) + " is a file (expected: a directory, or a path that does not exist yet)");
    }
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(LOCK).toAbsolutePath();
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this JVM already holds it: another server in the same process
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new IOException("data directory " + shown(dir) + " is in use by another kvServer (lock held on "
          + lockFile + holder + ")");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    return new DataDirectory(dir.toAbsolutePath(), shown(dir), channel, lock);
  }

  /** A relative directory as a user would type it: {@code ./127.0.0.1-9000}. */
  static Path shown(Path dir) {
    return dir.isAbsolute() || dir.startsWith(".") || dir.startsWith("..") ? dir : Path.of(".").resolve(dir);
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      channel.read(b, 0);
      String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
      return pid.matches("\\d+") ? " by pid " + pid : "";
    } catch (IOException e) {
      return "";
    }
  }

  Path path() {
    return dir;
  }

  /** The directory as the user named it, for messages. */
  Path shownAs() {
    return shownAs;
  }

  Path segment(long n) {
    return dir.resolve(String.format("log.%06d", n));
  }

  Path snapshot(long n) {
    return dir.resolve(String.format("snapshot.%06d", n));
  }

  Path snapshotTemp(long n) {
    return dir.resolve(String.format("snapshot.%06d.tmp", n));
  }

  /** Lists the directory: newest snapshot and the segments from it on, ascending. */
  Layout scan() throws IOException {
    long snapshot = -1;
    List<Long> segments = new ArrayList<>();
    for (Path p : list()) {
      String name = p.getFileName().toString();
      Matcher m = SNAPSHOT.matcher(name);
      if (m.matches()) {
        snapshot = Math.max(snapshot, Long.parseLong(m.group(1)));
      }
      m = LOG.matcher(name);
      if (m.matches()) {
        segments.add(Long.parseLong(m.group(1)));
      }
    }
    long first = snapshot;
    segments.removeIf(n -> n < first);
    segments.sort(null);
    return new Layout(snapshot, segments);
  }

  /** Deletes snapshot temp files (from a compaction that did not finish). */
  void deleteTemps() throws IOException {
    for (Path p : list()) {
      if (TEMP.matcher(p.getFileName().toString()).matches()) {
        log.info("deleting {}: a snapshot that was not finished", p.getFileName());
        Files.deleteIfExists(p);
      }
    }
  }

  /** Deletes log segments and snapshots numbered below {@code n}; returns the log bytes freed. */
  long deleteBefore(long n) throws IOException {
    long freed = 0;
    for (Path p : list()) {
      String name = p.getFileName().toString();
      Matcher m = LOG.matcher(name);
      boolean segment = m.matches();
      if (!segment) {
        m = SNAPSHOT.matcher(name);
      }
      if (m.matches() && Long.parseLong(m.group(1)) < n) {
        try {
          long size = Files.size(p);
          Files.delete(p);
          freed += segment ? size : 0;
        } catch (NoSuchFileException e) {
          // already gone
        }
      }
    }
    return freed;
  }

  private List<Path> list() throws IOException {
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(paths::add);
    }
    return paths;
  }

  /** Makes renames, creations and deletions in the directory durable. */
  void fsync() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or force a directory; file data is still forced.
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }
}
