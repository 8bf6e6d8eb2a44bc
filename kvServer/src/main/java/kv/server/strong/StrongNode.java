package kv.server.strong;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kv.cluster.ServerAddress;
import kv.cluster.ServerFile;
import kv.cluster.ServerFileException;
import kv.cluster.ServerLine;
import kv.raft.ClientOptions;
import kv.raft.ClusterIdentity;
import kv.raft.GroupLayout;
import kv.raft.GroupStatus;
import kv.raft.KvStateMachine;
import kv.raft.Member;
import kv.raft.RaftNode;
import kv.raft.RaftTls;
import kv.raft.RaftTuning;
import kv.raft.StrongClient;
import kv.security.ProtectedMode;
import kv.security.TlsFiles;
import kv.server.Keyspace;
import kv.server.ServerConfig;
import kv.server.StrongBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft side of one strong-mode kvServer: finds the server in the server file, checks (or
 * records, at the first start) the cluster identity in its data directory, starts one Ratis
 * server hosting every group it is a member of (each group's state machine a {@link Keyspace}),
 * and a {@link StrongClient} for its RESP front end. Thread-safe.
 */
public final class StrongNode implements StrongBackend {
  private static final Logger LOG = LoggerFactory.getLogger(StrongNode.class);
  private static final Pattern EVENTUAL_FILE = Pattern.compile("(log|snapshot)\\.\\d{6,18}");
  /** Where Ratis keeps the groups (a folder per group id) under the data directory. */
  static final String RAFT_DIR = "raft";

  private final GroupLayout layout;
  private final Member self;
  private final RaftNode node;
  private final StrongClient client;
  private final StrongConfig config;
  private final Path raftDir;
  private final boolean mutualTls;

  private StrongNode(GroupLayout layout, Member self, RaftNode node, StrongClient client, StrongConfig config,
      Path raftDir, boolean mutualTls) {
    this.mutualTls = mutualTls;
    this.layout = layout;
    this.self = self;
    this.node = node;
    this.client = client;
    this.config = config;
    this.raftDir = raftDir;
  }

  /**
   * Starts the Raft side of the server {@code server} describes.
   *
   * @throws IllegalArgumentException with one line for the user when protected mode refuses the
   *     Raft port: a non-loopback address without mutual TLS
   * @throws StrongStartException with one line for the user: the server file cannot be read, the
   *     server is not in it, the identity differs from the recorded one, the data directory
   *     holds eventual-mode data, or the Raft port cannot be bound
   */
  public static StrongNode start(ServerConfig server, StrongConfig config) {
    List<ServerLine> lines;
    try {
      lines = ServerFile.readLines(config.serverFile());
    } catch (ServerFileException e) {
      throw new StrongStartException(e.getMessage(), e);
    }
    int k = config.k() == 0 ? Math.min(StrongConfig.DEFAULT_K, lines.size()) : config.k();
    ClusterIdentity identity;
    try {
      identity = ClusterIdentity.of(lines, k, config.groups() == 0 ? GroupLayout.defaultGroups(lines.size(), k)
          : config.groups());
    } catch (IllegalArgumentException e) {
      throw new StrongStartException(describeFlag(e.getMessage()), e);
    }
    GroupLayout layout = GroupLayout.of(identity);
    ServerAddress address = new ServerAddress(server.address(), server.port());
    Member self = layout.member(address);
    if (self == null) {
      throw new StrongStartException(address + " is not in " + config.serverFile() + " (expected: -a and -p naming"
          + " one of its servers: " + identity.serverList().replaceAll("/\\d+", "") + ")", null);
    }
    TlsFiles files = server.security().tls();
    ProtectedMode.checkRaft(server.address(), config.raftPort() != 0 ? config.raftPort() : self.raftPort(),
        files != null && files.mutual());
    Path dir = config.dataDir();
    refuseEventualData(dir);
    try {
      IdentityFile.checkOrRecord(dir, identity).ifPresent(difference -> {
        throw new StrongStartException(difference, null);
      });
    } catch (IOException e) {
      throw new StrongStartException("cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
    int hosted = layout.groupsOf(address).size();
    RaftTuning tuning = RaftTuning.defaults(hosted, server.maxRequestBytes());
    if (config.electionMillis() > 0) {
      tuning = tuning.withElection(java.time.Duration.ofMillis(config.electionMillis()),
          java.time.Duration.ofMillis(2L * config.electionMillis()));
    }
    Path raftDir = dir.resolve(RAFT_DIR);
    /* Others reach this server at the file's Raft port; it listens there unless --raft-port says
       where a forwarder (NAT, a proxy) delivers that traffic. */
    int bindPort = config.raftPort() != 0 ? config.raftPort() : self.raftPort();
    RaftTls tls = raftTls(server.security().tls());
    RaftNode node;
    try {
      node = RaftNode.start(self.peerId(), server.address(), bindPort, raftDir, tuning, Keyspace::new, tls);
    } catch (IOException | RuntimeException e) {
      throw new StrongStartException("cannot start Raft on " + server.address() + ":" + bindPort + ": "
          + rootMessage(e), e);
    }
    try {
      node.join(layout);
    } catch (IOException | RuntimeException e) {
      node.close();
      throw new StrongStartException("cannot start the Raft groups in " + raftDir + ": " + rootMessage(e), e);
    }
    StrongClient client = StrongClient.connect(layout, tuning, ClientOptions.defaults().withReadMode(config.readMode()),
        tls);
    LOG.info("strong mode: {} groups, k = {}, member of groups {}, Raft at {} (listening on port {}, {}),"
        + " election timeouts {}-{} ms", layout.groupCount(), layout.k(), layout.groupsOf(address), self.raftAddress(),
        bindPort, tls == null ? "plain TCP" : "mutual TLS",
        tuning.electionMin().toMillis(), tuning.electionMax().toMillis());
    return new StrongNode(layout, self, node, client, config, raftDir, tls != null);
  }

  /*
   * The Raft port has no password: a certificate the cluster's CA signed is its credential, so it
   * speaks mutual TLS when the server has all three TLS files (the RESP port's), and plain TCP
   * otherwise, which protected mode allows on a loopback address only.
   */
  private static RaftTls raftTls(TlsFiles files) {
    return files == null || !files.mutual() ? null : new RaftTls(files.cert(), files.key(), files.ca());
  }

  /* "k: 4 (expected: ...)" is the -k flag; "groups: ..." is --groups. */
  private static String describeFlag(String message) {
    if (message.startsWith("k: ")) {
      return "-k " + message.substring(3);
    }
    if (message.startsWith("groups: ")) {
      return "--groups " + message.substring(8);
    }
    return message;
  }

  private static void refuseEventualData(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).filter(n -> EVENTUAL_FILE.matcher(n).matches()).findFirst()
          .ifPresent(n -> {
            throw new StrongStartException("data directory " + dir + " holds eventual-mode data (" + n + ")"
                + " (expected: a directory of its own for strong mode; give one with --data-dir)", null);
          });
    } catch (IOException e) {
      throw new StrongStartException("cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.replace('\n', ' ');
  }

  @Override
  public StrongClient client() {
    return client;
  }

  public GroupLayout layout() {
    return layout;
  }

  /** The Raft node (for tests and status). */
  public RaftNode raft() {
    return node;
  }

  @Override
  public long localRecords() {
    long n = 0;
    for (int g : layout.groupsOf(self.address())) {
      KvStateMachine sm = node.stateMachine(layout.groupId(g));
      if (sm != null) {
        n += sm.applier().size();
      }
    }
    return n;
  }

  @Override
  public String infoSection() {
    List<GroupStatus> probed = probe();
    StringBuilder b = new StringBuilder();
    layout.identity().infoFields().forEach((name, value) -> line(b, name, value));
    line(b, "raft_self", self.address().toString());
    line(b, "raft_port", Integer.toString(self.raftPort()));
    line(b, "raft_read", config.readMode().name().toLowerCase(Locale.ROOT));
    List<Integer> hosted = layout.groupsOf(self.address());
    List<String> led = new ArrayList<>();
    List<String> followed = new ArrayList<>();
    StringBuilder groups = new StringBuilder();
    for (int g : hosted) {
      RaftNode.LocalStatus local = node.localStatus(layout.groupId(g));
      if (local == null) {
        continue;
      }
      (local.role().equals("leader") ? led : followed).add(Integer.toString(g));
      GroupStatus status = probed == null ? null : probed.get(g);
      groups.append(GroupInfoLine.of(g, layout, self, local, status, recordsOf(g), client.tuning())).append("\r\n");
    }
    line(b, "raft_groups_hosted", String.join(",", hosted.stream().map(String::valueOf).toList()));
    line(b, "raft_groups_led", Integer.toString(led.size()));
    line(b, "raft_groups_followed", Integer.toString(followed.size()));
    b.append(groups);
    return b.toString();
  }

  @Override
  public List<GroupView> groups() {
    List<GroupStatus> probed = probe();
    List<GroupView> views = new ArrayList<>();
    for (int g : layout.groupsOf(self.address())) {
      RaftNode.LocalStatus local = node.localStatus(layout.groupId(g));
      if (local != null) {
        views.add(GroupInfoLine.view(g, layout, local, probed == null ? null : probed.get(g), recordsOf(g),
            client.tuning()));
      }
    }
    return views;
  }

  /* Every group's members asked how they are, or null when the probe did not answer within a second. */
  private List<GroupStatus> probe() {
    try {
      return client.status().get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      LOG.debug("the group status probe did not answer in time: {}", e.toString());
      return null;
    }
  }

  private long recordsOf(int g) {
    KvStateMachine sm = node.stateMachine(layout.groupId(g));
    return sm == null ? 0 : sm.applier().size();
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(name).append(':').append(value).append("\r\n");
  }

  @Override
  public String describe() {
    return "strong mode: member of groups " + layout.groupsOf(self.address()) + " of " + layout.groupCount()
        + " (k = " + layout.k() + "), Raft on " + self.raftAddress() + (mutualTls ? " (mutual TLS)" : " (plain TCP)")
        + ", data in " + raftDir;
  }

  @Override
  public void close() {
    client.close();
    node.close();
  }
}
