package kv.broker.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.resp.ReplicaCommand;

/** Builds the requests (argument lists, UTF-8) of the {@link ReplicaCommand}s the broker sends. Stateless. */
public final class ServerRequests {
  /** The commands' names as bytes, encoded once (a request's first argument). Never modified. */
  private static final byte[][] NAMES = new byte[ReplicaCommand.values().length][];

  static {
    for (ReplicaCommand command : ReplicaCommand.values()) {
      NAMES[command.ordinal()] = command.name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  static final List<byte[]> PING = of(ReplicaCommand.PING);
  static final List<byte[]> INFO = of(ReplicaCommand.INFO);

  private ServerRequests() {}

  /** {@code command} followed by {@code words}. */
  private static List<byte[]> of(ReplicaCommand command, String... words) {
    byte[][] args = new byte[words.length + 1][];
    args[0] = NAMES[command.ordinal()];
    for (int i = 0; i < words.length; i++) {
      args[i + 1] = words[i].getBytes(StandardCharsets.UTF_8);
    }
    return List.of(args);
  }

  public static List<byte[]> vget(String key) {
    return of(ReplicaCommand.VGET, key);
  }

  public static List<byte[]> vquery(String path) {
    return of(ReplicaCommand.VQUERY, path);
  }

  public static List<byte[]> vput(String key, long version, String setText) {
    return of(ReplicaCommand.VPUT, key, Long.toString(version), setText);
  }

  public static List<byte[]> vdel(String key, long version) {
    return of(ReplicaCommand.VDEL, key, Long.toString(version));
  }

  /** {@code VAPPEND key version path value}: {@code path} is {@code .} or {@code .a.b} (relative to the key). */
  public static List<byte[]> vappend(String key, long version, String path, String valueText) {
    return of(ReplicaCommand.VAPPEND, key, Long.toString(version), path, valueText);
  }

  public static List<byte[]> vpurge(String key, long version) {
    return of(ReplicaCommand.VPURGE, key, Long.toString(version));
  }

  /** VPUT of {@code setText}, or VDEL when it is null (a tombstone). */
  public static List<byte[]> write(String key, long version, String setText) {
    return setText == null ? vdel(key, version) : vput(key, version, setText);
  }

  public static List<byte[]> vkeys(String cursor, int count) {
    return of(ReplicaCommand.VKEYS, cursor, "COUNT", Integer.toString(count));
  }

  public static List<byte[]> vversions(List<String> keys) {
    return of(ReplicaCommand.VVERSIONS, keys.toArray(new String[0]));
  }

  /** The keys under {@code prefix} after the VSCAN cursor {@code cursor}, at most {@code count}. */
  public static List<byte[]> vscan(String cursor, String prefix, int count) {
    return of(ReplicaCommand.VSCAN, cursor, "MATCH", prefix + "*", "COUNT", Integer.toString(count));
  }
}
