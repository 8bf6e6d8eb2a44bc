package kv.broker.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.broker.config.BrokerConfig;
import kv.broker.config.ServerLogin;
import kv.broker.config.ServerTls;
import kv.cluster.ServerAddress;
import kv.cluster.ServerFile;
import kv.cluster.ServerFileException;
import kv.raft.ClientOptions;
import kv.security.Credentials;
import kv.security.ProtectedMode;
import kv.security.Secret;
import kv.security.TlsContexts;
import kv.security.TlsFiles;
import kv.security.Users;
import picocli.CommandLine;

/**
 * The checks of kvBroker's parsed flags that picocli cannot express (combinations, readable
 * files, each mode's own flags, passwords, TLS, protected mode) and the configuration built from
 * them; every refusal is a {@link UsageException} (exit code 2). Not thread-safe: one per run.
 */
final class FlagChecks {
  private final KvBrokerCommand flags;
  private final Map<String, String> env;
  private final PrintWriter err;

  /*
   * The passwords: the clients' guards the broker's own ports, and the broker sends the cluster's
   * (else the clients') to the servers. Read once by users(); a bad file is a usage error (exit 2).
   */
  private Secret clientPassword;
  private Secret clusterPassword;

  /**
   * @param flags the parsed command, whose option values are checked
   * @param env the process's environment, for KV_PASSWORD and KV_ADMIN_PASSWORD
   * @param err where warnings about password files' permissions go
   */
  FlagChecks(KvBrokerCommand flags, Map<String, String> env, PrintWriter err) {
    this.flags = flags;
    this.env = env;
    this.err = err;
  }

  /** Reads the clients' and the cluster's passwords (refusing one on the command line). */
  Users users() throws UsageException {
    if (flags.passwordOnCommandLine != null) {
      throw new UsageException("--password: refused: " + Credentials.NOT_ON_THE_COMMAND_LINE);
    }
    try {
      clientPassword = Credentials.load(Credentials.PASSWORD_FILE_FLAG, flags.passwordFile, Credentials.PASSWORD_ENV,
          env).orElse(null);
      clusterPassword = Credentials.load(Credentials.ADMIN_PASSWORD_FILE_FLAG, flags.adminPasswordFile,
          Credentials.ADMIN_PASSWORD_ENV, env).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    for (Path file : new Path[] {flags.passwordFile, flags.adminPasswordFile}) {
      if (file != null) {
        Credentials.permissionWarning(file == flags.passwordFile ? Credentials.PASSWORD_FILE_FLAG
            : Credentials.ADMIN_PASSWORD_FILE_FLAG, file).ifPresent(w -> err.println("kvBroker: warning: " + w));
      }
    }
    return new Users(clientPassword, clusterPassword);
  }

  /**
   * Checks how the broker is run ({@code -c} against the ports, {@code -i}'s file) and what its
   * ports serve: TLS files that load, and protected mode for each port's address.
   *
   * @return the TLS files of the ports, or null without {@code --tls-cert}
   */
  TlsFiles frontEnds(Users users) throws UsageException {
    if (flags.command != null && flags.port != null) {
      throw new UsageException("-c and --port cannot be combined (expected: -c to run one command, or --port to serve)");
    }
    if (flags.command != null && flags.httpPort != null) {
      throw new UsageException("-c and --http cannot be combined (expected: -c to run one command, or --http to serve)");
    }
    if (flags.indexFile != null && !Files.isReadable(flags.indexFile)) {
      throw new UsageException("-i: " + flags.indexFile
          + ": no such readable file (expected: a data file, one record per line)");
    }
    try {
      TlsFiles tls = TlsFiles.of(flags.tlsCert, flags.tlsKey, flags.tlsCa);
      if (tls != null && flags.port == null && flags.httpPort == null) {
        throw new UsageException("--tls-cert: no port to serve it on (expected: --port or --http as well)");
      }
      if (tls != null) {
        TlsContexts.server(tls); // unusable files are a usage error now, before anything starts
      }
      if (flags.port != null) {
        ProtectedMode.check(flags.bind, "--bind", users);
      }
      if (flags.httpPort != null) {
        ProtectedMode.check(flags.httpBind, "--http-bind", users);
      }
      return tls;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** Refuses eventual mode's flags with {@code --strong}. */
  void refuseEventualOnly() throws UsageException {
    List<String> given = new ArrayList<>();
    if (flags.tombstoneGrace != null) {
      given.add("--tombstone-grace");
    }
    if (flags.infoInterval != null) {
      given.add("--info-interval");
    }
    if (flags.maxBackoff != null) {
      given.add("--max-backoff");
    }
    if (!given.isEmpty()) {
      throw new UsageException(String.join(", ", given) + ": eventual mode's (expected: not with --strong, where the"
          + " Raft groups replicate, and the broker probes their members every --heartbeat)");
    }
  }

  /** How the broker logs in to the servers (after {@link #users()}): the cluster's password, else the clients'. */
  ServerLogin serverLogin() {
    return ServerLogin.of(clientPassword, clusterPassword);
  }

  /**
   * {@code --server-tls-*}: how the broker connects to TLS servers, or null without
   * {@code --server-tls-ca}. The client certificate defaults to {@code --tls-cert}/{@code --tls-key};
   * with {@code --strong} one is required (the Raft ports speak mutual TLS).
   */
  ServerTls serverTls() throws UsageException {
    if (flags.serverTlsCa == null) {
      if (flags.serverTlsCert != null || flags.serverTlsKey != null) {
        throw new UsageException((flags.serverTlsCert != null ? "--server-tls-cert" : "--server-tls-key")
            + ": without --server-tls-ca (expected: --server-tls-ca FILE, the CA that signed the servers' certificates)");
      }
      return null;
    }
    boolean own = flags.serverTlsCert == null && flags.serverTlsKey == null;
    Path cert = own ? flags.tlsCert : flags.serverTlsCert;
    Path key = own ? flags.tlsKey : flags.serverTlsKey;
    if (flags.strong && cert == null && key == null) {
      throw new UsageException("--server-tls-ca: no client certificate, which strong mode's Raft ports require"
          + " (expected: --server-tls-cert FILE and --server-tls-key FILE, or the broker's --tls-cert and --tls-key)");
    }
    try {
      return new ServerTls(flags.serverTlsCa, cert, key);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** Refuses strong mode's flags without {@code --strong}, and requires {@code -k}. */
  void refuseStrongOnly() throws UsageException {
    if (flags.read != null) {
      throw new UsageException("--read: only with --strong (eventual mode reads every live replica of the key)");
    }
    if (flags.k == null) {
      throw new UsageException("-k: missing (expected: replicas per record, 1..number of servers; with --strong"
          + " it is learned from the servers)");
    }
  }

  /** {@code --read}: linearizable (the default) or local. */
  ClientOptions.ReadMode readMode() throws UsageException {
    String read = flags.read;
    if (read == null || read.equalsIgnoreCase("linearizable")) {
      return ClientOptions.ReadMode.LINEARIZABLE;
    }
    if (read.equalsIgnoreCase("local")) {
      return ClientOptions.ReadMode.LOCAL;
    }
    throw new UsageException("--read: '" + read + "' (expected: linearizable or local)");
  }

  /** {@code --timeout}, 1500 ms if not given. */
  Duration timeout() {
    return flags.timeout != null ? flags.timeout : Duration.ofMillis(1500);
  }

  /**
   * The broker's configuration: the server file's servers, {@code replicas} per record, and the
   * flags given over the defaults. Call {@link #users()} first (the servers' login comes from it).
   */
  BrokerConfig config(int replicas) throws UsageException {
    ServerTls tls = serverTls();
    List<ServerAddress> servers;
    try {
      servers = ServerFile.read(flags.serverFile);
    } catch (ServerFileException e) {
      throw new UsageException("-s: " + e.getMessage(), e);
    }
    try {
      Duration grace = flags.tombstoneGrace != null ? tombstoneGrace(flags.tombstoneGrace) : null;
      return BrokerConfig.of(servers, flags.serverFile.toString(), replicas).with(c -> {
        c.timeout = flags.timeout != null ? flags.timeout : c.timeout;
        c.heartbeatInterval = flags.heartbeat != null ? flags.heartbeat : c.heartbeatInterval;
        c.infoInterval = flags.infoInterval != null ? flags.infoInterval : c.infoInterval;
        if (flags.maxBackoff != null) {
          c.maxBackoff = flags.maxBackoff;
          c.minBackoff = c.minBackoff.compareTo(flags.maxBackoff) > 0 ? flags.maxBackoff : c.minBackoff;
        }
        c.maxInFlight = flags.maxInFlight != null ? flags.maxInFlight : c.maxInFlight;
        c.tombstoneGrace = grace != null ? grace : c.tombstoneGrace;
        c.serverLogin = ServerLogin.of(clientPassword, clusterPassword);
        c.serverTls = tls;
      });
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private static Duration tombstoneGrace(String text) throws UsageException {
    if (text.strip().equalsIgnoreCase("off")) {
      return Duration.ZERO;
    }
    try {
      return new DurationConverter().convert(text);
    } catch (CommandLine.TypeConversionException e) {
      throw new UsageException("--tombstone-grace: '" + text + "' (expected: off or a positive duration such as 30s or 10m)", e);
    }
  }
}
