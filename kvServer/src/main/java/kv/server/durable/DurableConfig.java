package kv.server.durable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link DurableLog}: the data directory, when to fsync, and the log size below
 * which no compaction happens (above it, compaction starts once the log exceeds twice the last
 * snapshot). Immutable.
 */
public record DurableConfig(Path dir, FsyncPolicy fsync, Duration fsyncInterval, long compactMinBytes) {
  /** Like Redis' auto-aof-rewrite-min-size. */
  public static final long DEFAULT_COMPACT_MIN_BYTES = 64L * 1024 * 1024;

  public DurableConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(fsyncInterval, "fsyncInterval");
    if (fsyncInterval.isNegative() || fsyncInterval.isZero() || fsyncInterval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("fsyncInterval: " + fsyncInterval + " (expected: > 0 and <= 10 minutes)");
    }
    if (compactMinBytes < 1) {
      throw new IllegalArgumentException("compactMinBytes: " + compactMinBytes + " (expected: >= 1)");
    }
  }

  /** {@code dir}, fsync every second, compaction from 64 MiB of log. */
  public static DurableConfig of(Path dir) {
    return new DurableConfig(dir, FsyncPolicy.EVERY_INTERVAL, Duration.ofSeconds(1), DEFAULT_COMPACT_MIN_BYTES);
  }

  public DurableConfig withFsync(FsyncPolicy policy) {
    return new DurableConfig(dir, policy, fsyncInterval, compactMinBytes);
  }

  public DurableConfig withFsyncInterval(Duration interval) {
    return new DurableConfig(dir, fsync, interval, compactMinBytes);
  }

  public DurableConfig withCompactMinBytes(long bytes) {
    return new DurableConfig(dir, fsync, fsyncInterval, bytes);
  }

  /**
   * The default data directory of a server listening on {@code address}:{@code port}:
   * {@code <address>-<port>} relative to the current directory, e.g. {@code 127.0.0.1-9000}
   * (characters other than letters, digits, '.', '_' and '-', such as IPv6 colons, become '_').
   * Empty for port 0: such a server gets a different port at every start, so a directory named
   * after it would never be found again; it runs in memory unless given {@code --data-dir}.
   */
  public static Optional<Path> defaultDirectory(String address, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (port == 0) {
      return Optional.empty();
    }
    return Optional.of(Path.of(address.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + port));
  }
}
