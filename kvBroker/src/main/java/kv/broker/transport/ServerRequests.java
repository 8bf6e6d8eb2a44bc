package kv.broker.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds request argument lists (UTF-8) for the server's commands. Stateless. */
public final class ServerRequests {
  static final List<byte[]> PING = of("PING");
  static final List<byte[]> INFO = of("INFO");

  private ServerRequests() {}

  public static List<byte[]> of(String... words) {
    List<byte[]> args = new ArrayList<>(words.length);
    for (String word : words) {
      args.add(word.getBytes(StandardCharsets.UTF_8));
    }
    return List.copyOf(args);
  }

  public static List<byte[]> vget(String key) {
    return of("VGET", key);
  }

  public static List<byte[]> vquery(String path) {
    return of("VQUERY", path);
  }

  public static List<byte[]> vput(String key, long version, String setText) {
    return of("VPUT", key, Long.toString(version), setText);
  }

  public static List<byte[]> vdel(String key, long version) {
    return of("VDEL", key, Long.toString(version));
  }

  public static List<byte[]> vpurge(String key, long version) {
    return of("VPURGE", key, Long.toString(version));
  }

  /** VPUT of {@code setText}, or VDEL when it is null (a tombstone). */
  public static List<byte[]> write(String key, long version, String setText) {
    return setText == null ? vdel(key, version) : vput(key, version, setText);
  }

  public static List<byte[]> vkeys(String cursor, int count) {
    return of("VKEYS", cursor, "COUNT", Integer.toString(count));
  }

  public static List<byte[]> vversions(List<String> keys) {
    List<String> words = new ArrayList<>(keys.size() + 1);
    words.add("VVERSIONS");
    words.addAll(keys);
    return of(words.toArray(new String[0]));
  }
}
