package kv.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses each key's k replicas by rendezvous (highest random weight) hashing: every server gets
 * the score XXH64(key, seed = XXH64(ip:port)) and the k highest scores win (ties, practically
 * impossible, go to the smaller {@code ip:port}). Every broker computes the same replicas from
 * the same server set, whatever the order of the server file, and adding an (n+1)-th server
 * moves only the keys it now wins, about 1/(n+1) of them. Immutable and thread-safe.
 */
public final class Placement {
  private final List<ServerAddress> servers;
  private final String[] names;
  private final long[] seeds;
  private final int k;

  public Placement(List<ServerAddress> servers, int k) {
    if (k < 1 || k > servers.size()) {
      throw new IllegalArgumentException("k: " + k + " (expected: 1.." + servers.size() + ", the number of servers)");
    }
    this.servers = List.copyOf(servers);
    this.k = k;
    this.names = new String[servers.size()];
    this.seeds = new long[servers.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = this.servers.get(i).toString();
      seeds[i] = XxHash64.hash(names[i].getBytes(StandardCharsets.UTF_8), 0);
    }
  }

  public int k() {
    return k;
  }

  public List<ServerAddress> servers() {
    return servers;
  }

  /** The key's k replicas, best score first. */
  public List<ServerAddress> replicas(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int n = names.length;
    long[] scores = new long[n];
    for (int i = 0; i < n; i++) {
      scores[i] = XxHash64.hash(bytes, seeds[i]);
    }
    // Selection of the k best: n is small (a handful of servers), so O(n * k) beats sorting.
    boolean[] taken = new boolean[n];
    List<ServerAddress> result = new ArrayList<>(k);
    for (int round = 0; round < k; round++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i] && (best < 0 || better(i, best, scores))) {
          best = i;
        }
      }
      taken[best] = true;
      result.add(servers.get(best));
    }
    return result;
  }

  private boolean better(int i, int j, long[] scores) {
    int c = Long.compareUnsigned(scores[i], scores[j]);
    return c > 0 || (c == 0 && names[i].compareTo(names[j]) < 0);
  }
}
