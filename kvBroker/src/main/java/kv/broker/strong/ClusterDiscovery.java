package kv.broker.strong;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import kv.cluster.ServerAddress;
import kv.cluster.ServerLine;
import kv.raft.ClusterIdentity;

/**
 * Learns a strong-mode cluster's identity (G, k, servers and Raft ports) from its servers' INFO
 * and checks the broker's own server file and {@code -k} against it, so a broker that would
 * compute other groups than the servers is refused with one line saying what differs. One
 * answering server is enough; servers that answer must agree. Stateless; thread-safe.
 */
public final class ClusterDiscovery {
  /*
   * Every server of the file is asked at once; the answers that came decide. With none, the
   * servers may still be starting (bin/quickstart starts the broker as soon as their ports
   * answer), so asking goes on until the deadline.
   */

  /** Why the broker cannot run in strong mode with its arguments; {@link #usage()}: its own arguments differ. */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean usage;

    RefusedException(String message, boolean usage) {
      super(message);
      this.usage = usage;
    }

    /** True when the broker's server file or -k differ from the cluster's (exit code 2). */
    public boolean usage() {
      return usage;
    }
  }

  private ClusterDiscovery() {}

  /**
   * The cluster's identity, as the servers of {@code lines} report it, checked against the
   * broker's server file and {@code k} (null: the cluster's).
   *
   * @param serverFile the file's name, for messages
   * @param info how INFO is read from a server
   * @param deadlineNanos when to stop asking (against {@code nanoTime}) if no server answered
   * @param waiting run once when a first round of asking got no answer (to tell the user)
   * @throws RefusedException with one line: what differs, servers in eventual mode, servers
   *     that disagree, or no server answering before the deadline
   */
  public static ClusterIdentity discover(List<ServerLine> lines, Integer k, String serverFile, InfoSource info,
      Executor executor, LongSupplier nanoTime, long deadlineNanos, Runnable waiting)
      throws RefusedException, InterruptedException {
    boolean told = false;
    while (true) {
      Map<ServerAddress, Object> answers = ask(lines, info, executor);
      Map<ServerAddress, ClusterIdentity> identities = new LinkedHashMap<>();
      List<String> eventual = new ArrayList<>();
      List<String> unreachable = new ArrayList<>();
      List<String> loginRefused = new ArrayList<>();
      for (Map.Entry<ServerAddress, Object> e : answers.entrySet()) {
        Object answer = e.getValue();
        if (answer instanceof ClusterIdentity id) {
          identities.put(e.getKey(), id);
        } else if (answer == EVENTUAL) {
          eventual.add(e.getKey().toString());
        } else if (answer instanceof InfoSource.LoginRefusedException refused) {
          loginRefused.add(e.getKey() + ": " + refused.getMessage());
        } else {
          unreachable.add(e.getKey() + ": " + ((Exception) answer).getMessage());
        }
      }
      if (!eventual.isEmpty()) {
        throw new RefusedException(String.join(", ", eventual) + (eventual.size() == 1 ? " runs" : " run")
            + " in eventual mode (no raft_groups in INFO); --strong needs servers started with --strong"
            + " (bin/cluster start --strong, or drop --strong)", false);
      }
      if (!identities.isEmpty()) {
        return check(lines, k, serverFile, identities);
      }
      if (!loginRefused.isEmpty()) { // asking again with the same password will not help
        throw new RefusedException("the servers refused the broker's password (" + String.join("; ", loginRefused)
            + ")", false);
      }
      if (nanoTime.getAsLong() - deadlineNanos >= 0) {
        throw new RefusedException("no server of " + serverFile + " answered INFO (" + String.join("; ", unreachable)
            + "); strong mode learns the number of groups and k from the servers: start them first"
            + " (bin/cluster start --strong)", false);
      }
      if (!told) {
        waiting.run();
        told = true;
      }
      Thread.sleep(200);
    }
  }

  /* The servers that answered agree, and the broker's file and -k make the same cluster. */
  private static ClusterIdentity check(List<ServerLine> lines, Integer k, String serverFile,
      Map<ServerAddress, ClusterIdentity> identities) throws RefusedException {
    Map.Entry<ServerAddress, ClusterIdentity> first = identities.entrySet().iterator().next();
    ClusterIdentity cluster = first.getValue();
    for (Map.Entry<ServerAddress, ClusterIdentity> e : identities.entrySet()) {
      if (!e.getValue().digest().equals(cluster.digest())) {
        throw new RefusedException("the servers disagree about the cluster: " + first.getKey() + " reports "
            + cluster.canonical() + ", " + e.getKey() + " reports " + e.getValue().canonical()
            + " (expected: one cluster; check their server files)", false);
      }
    }
    /* Without -k the cluster's k is taken; a file with fewer servers than that is compared with k = its size,
       and only the servers are named: the user gave no -k to differ. */
    int ourK = k != null ? k : Math.min(cluster.k(), lines.size());
    ClusterIdentity ours;
    try {
      ours = ClusterIdentity.of(lines, ourK, cluster.groups());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage().startsWith("k: ") ? "-k " + e.getMessage().substring(3) : e.getMessage();
      throw new RefusedException(message + " (" + serverFile + ")", true);
    }
    Optional<String> difference = ours.mismatch(cluster, "the data directory of " + first.getKey()
        + ", as its INFO reports");
    if (difference.isPresent()) {
      String text = difference.get().replace("the server file", serverFile);
      if (k == null && text.startsWith("-k ")) {
        text = text.substring(text.indexOf("; ") + 2);
      }
      throw new RefusedException(text, true);
    }
    return cluster;
  }

  /** The answer of a server whose INFO has no Raft section. */
  private static final Object EVENTUAL = new Object();

  /* Each server's identity, EVENTUAL (INFO without one), or the exception that says why there is none. */
  private static Map<ServerAddress, Object> ask(List<ServerLine> lines, InfoSource info, Executor executor)
      throws InterruptedException {
    Map<ServerAddress, CompletableFuture<Object>> asked = new LinkedHashMap<>();
    for (ServerLine line : lines) {
      asked.put(line.address(), CompletableFuture.supplyAsync(() -> {
        try {
          String text = info.info(line.address());
          if (!text.contains("raft_groups:")) {
            return EVENTUAL;
          }
          return ClusterIdentity.fromInfoText(text);
        } catch (IOException e) {
          return e;
        } catch (IllegalArgumentException e) {
          return new IOException("reported a cluster identity that does not parse: " + e.getMessage(), e);
        }
      }, executor));
    }
    Map<ServerAddress, Object> answers = new LinkedHashMap<>();
    for (Map.Entry<ServerAddress, CompletableFuture<Object>> e : asked.entrySet()) {
      try {
        answers.put(e.getKey(), e.getValue().get());
      } catch (java.util.concurrent.ExecutionException ex) {
        answers.put(e.getKey(), new IOException(String.valueOf(ex.getCause()), ex.getCause()));
      }
    }
    return answers;
  }
}
