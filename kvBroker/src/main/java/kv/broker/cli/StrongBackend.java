package kv.broker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kv.broker.config.BrokerConfig;
import kv.broker.config.ServerLogin;
import kv.broker.config.ServerTls;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.strong.ClusterDiscovery;
import kv.broker.strong.StrongEngine;
import kv.broker.transport.netty.IoThreads;
import kv.cluster.ServerFile;
import kv.cluster.ServerFileException;
import kv.cluster.ServerLine;
import kv.raft.ClientOptions;
import kv.raft.ClusterIdentity;
import kv.raft.GroupLayout;
import kv.raft.RaftTls;
import kv.raft.RaftTuning;

/**
 * {@code kvBroker --strong}: learns the cluster's identity from its servers (refusing a server
 * file or -k that differ from it), then runs the strong engine. Immutable once discovered.
 */
final class StrongBackend implements Backend {
  /** How many --timeout periods the broker keeps asking for a server's INFO while none answers. */
  static final int DISCOVERY_TIMEOUTS = 10;

  private final ClusterIdentity identity;
  private final ClientOptions.ReadMode readMode;
  private final RaftTls raftTls;

  private StrongBackend(ClusterIdentity identity, ClientOptions.ReadMode readMode, RaftTls raftTls) {
    this.identity = identity;
    this.readMode = readMode;
    this.raftTls = raftTls;
  }

  /**
   * Reads the server file, asks its servers for the cluster's identity and checks the file and
   * {@code k} (null: the cluster's) against it. INFO is asked after {@code AUTH} with
   * {@code login} (null: none) and over TLS with {@code tls} (null: plain TCP), whose client
   * certificate is then the broker's on the Raft ports too (mutual TLS).
   *
   * @throws UsageException when the file cannot be read or differs from the
   *     cluster's, or -k does (exit code 2)
   * @throws IllegalStateException when no server answers, one runs in eventual mode, or they
   *     disagree (exit code 1)
   */
  static StrongBackend discover(Path serverFile, Integer k, ClientOptions.ReadMode readMode, Duration timeout,
      PrintWriter err, boolean quiet, ServerLogin login, ServerTls tls) throws UsageException, InterruptedException {
    List<ServerLine> lines;
    try {
      lines = ServerFile.readLines(serverFile);
    } catch (ServerFileException e) {
      throw new UsageException("-s: " + e.getMessage(), e);
    }
    ExecutorService askers = Executors.newFixedThreadPool(Math.min(16, lines.size()), r -> {
      Thread t = new Thread(r, "kv-discovery");
      t.setDaemon(true);
      return t;
    });
    try {
      long deadline = System.nanoTime() + timeout.multipliedBy(DISCOVERY_TIMEOUTS).toNanos();
      ClusterIdentity identity = ClusterDiscovery.discover(lines, k, serverFile.toString(),
          kv.broker.strong.InfoSource.socket(timeout, login, tls), askers, System::nanoTime, deadline, () -> {
            if (!quiet) {
              err.println("kvBroker: waiting for a server of " + serverFile + " to answer (strong mode learns the cluster from their INFO)");
              err.flush();
            }
          });
      return new StrongBackend(identity, readMode, tls == null ? null : tls.raft());
    } catch (ClusterDiscovery.RefusedException e) {
      if (e.usage()) {
        throw new UsageException(e.getMessage(), e);
      }
      throw new IllegalStateException(e.getMessage(), e);
    } finally {
      askers.shutdownNow();
    }
  }

  ClusterIdentity identity() {
    return identity;
  }

  @Override
  public Engine start(BrokerConfig config, IoThreads io) {
    return StrongEngine.start(identity, readMode, config.heartbeatInterval(), io.scheduler(), raftTls);
  }

  /*
   * A request that cannot be answered fails with its reason within the client's operation
   * timeout and its watchdog's grace (two attempts); wait a second longer, so the precise answer
   * (NOQUORUM, UNKNOWN) arrives rather than "no answer".
   */
  @Override
  public Duration answerTimeout(BrokerConfig config) {
    RaftTuning tuning = StrongEngine.tuning(GroupLayout.of(identity));
    return tuning.operationTimeout().plus(tuning.attemptTimeout().multipliedBy(2)).plusSeconds(1);
  }

  @Override
  public String describe(BrokerConfig config, EngineStatus status) {
    int g = identity.groups();
    return "strong mode, " + status.servers().size() + " servers (" + status.up() + " up), " + g
        + (g == 1 ? " Raft group" : " Raft groups") + ", k = " + identity.k() + ", reads "
        + (readMode == ClientOptions.ReadMode.LINEARIZABLE ? "linearizable"
            : "leader-local (--read local: may be stale while leadership changes hands)")
        + (raftTls == null ? "" : ", mutual TLS to the Raft ports");
  }

  @Override
  public String mode() {
    return "strong";
  }
}
