package kv.broker.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kv.broker.engine.KeyScan;
import kv.broker.transport.Server;
import kv.cluster.ServerAddress;

/**
 * Decides whether the servers the broker can ask cover every key: whether each possible set of
 * k replicas has a member that is UP and trusted for it. Stateless and thread-safe.
 */
final class KeyCoverage {
  /*
   * A server that is UP and not catching up answers authoritatively for every key it holds, so
   * only replica sets made entirely of the other servers (down, failed during this request, or
   * catching up) can hide keys. With fewer than k such servers there is no such set: covered.
   * Otherwise each k-subset of them is checked: it is covered when one member is usable and
   * trusted for it (a catching-up server whose resync compared it with the subset's other
   * members; with k = 1 a catching-up server is trusted for its own keys). Subsets are few in
   * practice (C(u, k) for u untrusted servers); past MAX_SUBSETS the answer is "not covered".
   */
  static final int MAX_SUBSETS = 10_000;

  private KeyCoverage() {}

  /**
   * Null when every key has a usable, trusted replica; otherwise the servers that make the
   * answer possibly incomplete.
   *
   * @param failed servers that failed during this request (treated as down although the failure
   *     detector may not have marked them yet)
   */
  static KeyScan.Incomplete check(List<? extends Server> servers, Set<ServerAddress> failed, int k) {
    List<Server> untrusted = new ArrayList<>();
    for (Server server : servers) {
      if (!usable(server, failed) || server.catchingUp()) {
        untrusted.add(server);
      }
    }
    if (untrusted.size() < k || allSubsetsCovered(untrusted, failed, k)) {
      return null;
    }
    List<String> down = new ArrayList<>();
    List<String> catchingUp = new ArrayList<>();
    for (Server server : untrusted) {
      (usable(server, failed) ? catchingUp : down).add(server.address().toString());
    }
    return new KeyScan.Incomplete(k, down, catchingUp);
  }

  static boolean usable(Server server, Set<ServerAddress> failed) {
    return server.isUp() && !failed.contains(server.address());
  }

  private static boolean allSubsetsCovered(List<Server> untrusted, Set<ServerAddress> failed, int k) {
    if (subsets(untrusted.size(), k) > MAX_SUBSETS) {
      return false;
    }
    int[] pick = new int[k];
    for (int i = 0; i < k; i++) {
      pick[i] = i;
    }
    while (true) {
      if (!covered(untrusted, pick, failed)) {
        return false;
      }
      // Next k-combination of 0..n-1 in lexicographic order.
      int i = k - 1;
      while (i >= 0 && pick[i] == untrusted.size() - k + i) {
        i--;
      }
      if (i < 0) {
        return true;
      }
      pick[i]++;
      for (int j = i + 1; j < k; j++) {
        pick[j] = pick[j - 1] + 1;
      }
    }
  }

  private static boolean covered(List<Server> untrusted, int[] pick, Set<ServerAddress> failed) {
    List<ServerAddress> replicas = new ArrayList<>(pick.length);
    for (int index : pick) {
      replicas.add(untrusted.get(index).address());
    }
    for (int index : pick) {
      Server server = untrusted.get(index);
      if (usable(server, failed) && server.trustedFor(replicas)) {
        return true;
      }
    }
    return false;
  }

  /** C(n, k), saturating above MAX_SUBSETS. */
  private static long subsets(int n, int k) {
    long c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
      if (c > MAX_SUBSETS) {
        return c;
      }
    }
    return c;
  }
}
