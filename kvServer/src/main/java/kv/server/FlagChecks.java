package kv.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.raft.ClientOptions;
import kv.security.Credentials;
import kv.security.TlsFiles;
import kv.server.durable.DurableConfig;
import kv.server.durable.FsyncPolicy;
import kv.server.strong.StrongConfig;
import picocli.CommandLine;

/**
 * The checks of kvServer's parsed flags that picocli cannot express (each mode's own flags,
 * ranges, combinations, passwords, protected mode of the metrics port) and the configurations
 * built from them; every refusal is an {@link IllegalArgumentException} naming the flag, which
 * the command turns into a usage error (exit code 2). Not thread-safe: one per run.
 */
final class FlagChecks {
  private final KvServerCommand flags;
  private final CommandLine.ParseResult parsed;
  private final Map<String, String> env;

  /**
   * @param flags the parsed command, whose option values are checked
   * @param parsed picocli's parse result, for which flags were given and how they were spelled
   * @param env the process's environment, for KV_PASSWORD and KV_ADMIN_PASSWORD
   */
  FlagChecks(KvServerCommand flags, CommandLine.ParseResult parsed, Map<String, String> env) {
    this.flags = flags;
    this.parsed = parsed;
    this.env = env;
  }

  /** Refuses a password given on the command line, naming the flag as the user typed it. */
  void refusePasswordOnCommandLine() {
    if (flags.passwordOnCommandLine != null) {
      throw new IllegalArgumentException(passwordFlag() + ": refused: " + Credentials.NOT_ON_THE_COMMAND_LINE);
    }
  }

  /* The name the user typed: --password, --requirepass or --admin-password. */
  private String passwordFlag() {
    for (String arg : parsed.originalArgs()) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (name.equals("--password") || name.equals("--requirepass") || name.equals("--admin-password")) {
        return name;
      }
    }
    return "--password";
  }

  /** Strong mode's configuration; null without --strong, where the strong-only flags are refused. */
  StrongConfig strongConfig() {
    if (flags.strongServerFile == null) {
      for (String flag : new String[] {"-k", "--groups", "--raft-port", "--read", "--election-timeout"}) {
        if (parsed.hasMatchedOption(flag)) {
          throw new IllegalArgumentException(flag + ": only with --strong serverFile.txt (strong mode)");
        }
      }
      return null;
    }
    if (flags.inMemory) {
      throw new IllegalArgumentException("--in-memory: not with --strong (Raft keeps its log and snapshots on disk)");
    }
    for (String flag : new String[] {"--fsync", "--compact-min-bytes"}) {
      if (parsed.hasMatchedOption(flag)) {
        throw new IllegalArgumentException(flag + ": not with --strong (the Raft log is forced to disk before every"
            + " commit and compacted by snapshots)");
      }
    }
    if (flags.port == 0) {
      throw new IllegalArgumentException("port: 0 (expected: with --strong, this server's port in "
          + flags.strongServerFile + ": the server finds itself there by IP:PORT)");
    }
    check("-k", flags.k, 1, 1000);
    check("--groups", flags.groups, 1, kv.raft.GroupLayout.MAX_GROUPS);
    check("--raft-port", flags.raftPort, 1, 65535);
    check("--election-timeout", flags.electionTimeout, 10, 60_000);
    ClientOptions.ReadMode mode;
    String read = flags.read;
    if (read == null || read.equals("linearizable")) {
      mode = ClientOptions.ReadMode.LINEARIZABLE;
    } else if (read.equals("local")) {
      mode = ClientOptions.ReadMode.LOCAL;
    } else {
      throw new IllegalArgumentException("--read: " + read + " (expected: linearizable or local)");
    }
    Path dir = flags.dataDir != null ? flags.dataDir
        : DurableConfig.defaultDirectory(flags.address, flags.port).orElseThrow();
    return new StrongConfig(flags.strongServerFile, orZero(flags.k), orZero(flags.groups), orZero(flags.raftPort),
        dir, mode, orZero(flags.electionTimeout));
  }

  /**
   * The server's configuration: the metrics flags, the passwords and TLS files, protected mode of
   * the metrics port, and the log's flags when {@code strong} is null (eventual mode).
   */
  ServerConfig serverConfig(StrongConfig strong) {
    checkMetricsFlags();
    SecurityConfig security = SecurityConfig.NONE
        .withUsers(Credentials.users(flags.passwordFile, flags.adminPasswordFile, env))
        .withTls(TlsFiles.of(flags.tlsCert, flags.tlsKey, flags.tlsCa));
    if (flags.metricsPort != null) {
      kv.security.ProtectedMode.check(metricsBind(), "--metrics-bind", security.users());
    }
    return ServerConfig.defaults().withAddress(flags.address).withPort(flags.port).withQuiet(flags.quiet)
        .withMaxRequestBytes(flags.maxRequestBytes).withMaxClients(flags.maxClients).withMaxDepth(flags.maxDepth)
        .withThreads(flags.threads).withDurable(strong == null ? durableConfig() : null)
        .withMaxClockSkewMillis(flags.maxClockSkewMillis)
        .withLimits(new ClientLimits(flags.maxPendingRequestBytes, flags.maxReplyBytes, flags.idleTimeout,
            flags.requestTimeout))
        .withSecurity(security);
  }

  /**
   * Strong mode, before the Raft side starts: protected mode for {@code -a} and TLS files that
   * load (eventual mode's server checks both as it starts).
   */
  void beforeRaftStarts(ServerConfig config) {
    kv.security.ProtectedMode.check(config.address(), "-a", config.security().users());
    if (config.security().tls() != null) {
      kv.security.TlsContexts.server(config.security().tls()); // unusable files: one line, exit 2
    }
  }

  /** Warnings about password files that others than their owner can read. */
  List<String> passwordFileWarnings() {
    List<String> warnings = new ArrayList<>();
    for (Path file : new Path[] {flags.passwordFile, flags.adminPasswordFile}) {
      if (file != null) {
        Credentials.permissionWarning(file == flags.passwordFile ? Credentials.PASSWORD_FILE_FLAG
            : Credentials.ADMIN_PASSWORD_FILE_FLAG, file).ifPresent(warnings::add);
      }
    }
    return warnings;
  }

  /** The metrics port's address: {@code --metrics-bind}, else 127.0.0.1. */
  String metricsBind() {
    return flags.metricsBind == null ? "127.0.0.1" : flags.metricsBind;
  }

  private void checkMetricsFlags() {
    if (flags.metricsPort == null && flags.metricsBind != null) {
      throw new IllegalArgumentException("--metrics-bind: only with --metrics-port PORT");
    }
    check("--metrics-port", flags.metricsPort, 0, 65535);
    if (flags.metricsBind != null && flags.metricsBind.isBlank()) {
      throw new IllegalArgumentException("--metrics-bind: '' (expected: an IP address or host name)");
    }
  }

  /* Null (in memory) with --in-memory, or with port 0 and no --data-dir. */
  private DurableConfig durableConfig() {
    FsyncPolicy policy = FsyncPolicy.parse(flags.fsync);
    if (flags.compactMinBytes < 1) {
      throw new IllegalArgumentException("compact-min-bytes: " + flags.compactMinBytes + " (expected: >= 1)");
    }
    if (flags.inMemory) {
      if (flags.dataDir != null) {
        throw new IllegalArgumentException("--in-memory and --data-dir " + flags.dataDir
            + ": both given (expected: one of them)");
      }
      return null;
    }
    Path dir = flags.dataDir != null ? flags.dataDir
        : DurableConfig.defaultDirectory(flags.address, flags.port).orElse(null);
    if (dir == null) {
      return null;
    }
    return DurableConfig.of(dir).withFsync(policy).withCompactMinBytes(flags.compactMinBytes);
  }

  private static void check(String flag, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw new IllegalArgumentException(flag + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
