package kv.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Which process owns the client end of a loopback TCP connection, from Linux's /proc: the
 * connection's inode in /proc/net/tcp and tcp6 (found by its two ports), then the process among
 * the candidates with that socket open. Lets a {@link TcpProxy} cut the connections of some
 * processes only, as a network partition between processes on one machine. Test code; stateless.
 */
final class SocketOwners {
  private SocketOwners() {}

  /**
   * The pid among {@code candidates} whose socket is the connection from local port
   * {@code clientPort} to {@code serverPort}; empty when none (or not on Linux).
   */
  static OptionalLong owner(int clientPort, int serverPort, Collection<Long> candidates) {
    String inode = inode(clientPort, serverPort);
    if (inode == null) {
      return OptionalLong.empty();
    }
    String target = "socket:[" + inode + "]";
    for (long pid : candidates) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
        for (Path fd : fds) {
          try {
            if (Files.readSymbolicLink(fd).toString().equals(target)) {
              return OptionalLong.of(pid);
            }
          } catch (IOException e) {
            // closed meanwhile
          }
        }
      } catch (IOException e) {
        // the process went away
      }
    }
    return OptionalLong.empty();
  }

  /* The inode of the socket whose local port is clientPort and remote port serverPort. */
  private static String inode(int clientPort, int serverPort) {
    String local = String.format(Locale.ROOT, ":%04X", clientPort);
    String remote = String.format(Locale.ROOT, ":%04X", serverPort);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
          return f[9];
        }
      }
    }
    return null;
  }
}
