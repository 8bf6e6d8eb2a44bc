package kv.broker.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
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

  /** Option words of a client's write, encoded once; never modified. */
  private static final byte[] PACKED = "PACKED".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WITHVERSION = "WITHVERSION".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HINT = "HINT".getBytes(StandardCharsets.US_ASCII);

  /** The heartbeats and the handshake (sent by {@code health}); never modified. */
  public static final List<byte[]> PING = of(ReplicaCommand.PING);
  public static final List<byte[]> INFO = of(ReplicaCommand.INFO);

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

  /**
   * A client's write: VPUT of {@code setText} (VDEL when null) with {@code WITHVERSION} (a stale
   * write answers the stored version) and, when {@code missing} is not empty, {@code HINT} and
   * the servers that will not get it now.
   */
  public static List<byte[]> clientWrite(String key, long version, String setText, List<String> missing) {
    return clientWrite(key, version, setText == null ? null : setText.getBytes(StandardCharsets.UTF_8), false, missing);
  }

  /** As {@link #clientWrite}, for a set in its packed form: {@code VPUT key version bytes PACKED WITHVERSION ...}. */
  public static List<byte[]> packedWrite(String key, long version, byte[] packed, List<String> missing) {
    return clientWrite(key, version, packed, true, missing);
  }

  private static List<byte[]> clientWrite(String key, long version, byte[] value, boolean packed,
      List<String> missing) {
    List<byte[]> args = new ArrayList<>(missing.size() + 7);
    args.add(NAMES[(value == null ? ReplicaCommand.VDEL : ReplicaCommand.VPUT).ordinal()]);
    args.add(key.getBytes(StandardCharsets.UTF_8));
    args.add(Long.toString(version).getBytes(StandardCharsets.US_ASCII));
    if (value != null) {
      args.add(value);
    }
    if (packed) {
      args.add(PACKED);
    }
    args.add(WITHVERSION);
    if (!missing.isEmpty()) {
      args.add(HINT);
      missing.forEach(server -> args.add(server.getBytes(StandardCharsets.UTF_8)));
    }
    return Collections.unmodifiableList(args);
  }

  /** VHINT: the servers that did not answer a write its acknowledging replicas keep a hint for. */
  public static List<byte[]> vhint(String key, long version, List<String> servers) {
    List<String> words = new ArrayList<>(servers.size() + 2);
    words.add(key);
    words.add(Long.toString(version));
    words.addAll(servers);
    return of(ReplicaCommand.VHINT, words.toArray(new String[0]));
  }

  public static List<byte[]> vhints(String server, String cursor, int count) {
    return of(ReplicaCommand.VHINTS, server, cursor, "COUNT", Integer.toString(count));
  }

  public static List<byte[]> vhintdel(String server, String key, long version) {
    return of(ReplicaCommand.VHINTDEL, server, key, Long.toString(version));
  }

  public static List<byte[]> vhinted(String key) {
    return of(ReplicaCommand.VHINTED, key);
  }

  /** VCAUGHTUP, with RESYNCED when the broker has just compared all of the server's data with its peers. */
  public static List<byte[]> vcaughtup(String instanceId, boolean resynced) {
    return resynced ? of(ReplicaCommand.VCAUGHTUP, instanceId, "RESYNCED") : of(ReplicaCommand.VCAUGHTUP, instanceId);
  }

  public static List<byte[]> ventries(String key) {
    return of(ReplicaCommand.VENTRIES, key);
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
