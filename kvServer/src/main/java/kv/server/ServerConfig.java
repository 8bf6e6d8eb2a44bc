package kv.server;

import java.util.function.Consumer;
import kv.record.Limits;
import kv.server.durable.DurableConfig;

/**
 * Everything a {@link KvServer} needs to start, passed in (no global state). Start from
 * {@link #defaults()} and change values with {@link #with} (or the {@code withX} shorthands).
 * Immutable; validated on creation.
 *
 * <p>{@code durable} null (the default) keeps the data in memory only: in-process tests and
 * embedders opt in to persistence with {@link #withDurable}.
 *
 * @param address address to bind, e.g. {@code 127.0.0.1}
 * @param port TCP port, 0 picks a free one
 * @param quiet when true, no per-request log lines (connections, errors, start and stop are
 *     still logged)
 * @param maxRequestBytes largest request accepted, in bytes (one bulk string, one inline line, or
 *     one whole request as framed); also the largest record text the parser accepts
 * @param maxClients connections served at once; more get an error reply and are closed
 * @param maxDepth deepest nesting of sets and lists the record parser accepts, at most
 *     {@link Limits#MAX_DEPTH} (what the log decoder replays and the thread stacks can take)
 * @param threads event-loop threads that read, execute and write requests
 * @param durable where and how writes are logged before they are acknowledged, or null for a
 *     server that keeps its data in memory only
 * @param maxClockSkewMillis how far ahead of this server's wall clock a replicated write's
 *     version may be (VPUT, VDEL); further ahead is refused, so one forged version cannot carry
 *     every clock that reads it into the future
 * @param limits what clients may cost: partial requests, unread replies, idle and slow clients
 * @param security passwords, roles, TLS and the delays after wrong passwords
 */
public record ServerConfig(
    String address, int port, boolean quiet, int maxRequestBytes, int maxClients, int maxDepth,
    int threads, DurableConfig durable, long maxClockSkewMillis, ClientLimits limits, SecurityConfig security) {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_CLIENTS = 10_000;
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_THREADS = 2;
  public static final long DEFAULT_MAX_CLOCK_SKEW_MILLIS = 60_000;
  /** A day: the bound of the broker's clock too (HybridLogicalClock.DEFAULT_MAX_AHEAD_MILLIS). */
  public static final long MAX_CLOCK_SKEW_LIMIT_MILLIS = 86_400_000;

  public ServerConfig {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address: '" + address + "' (expected: an IP address or host name)");
    }
    check("port", port, 0, 65535);
    check("max-request-bytes", maxRequestBytes, 16, Integer.MAX_VALUE - 1024 * 1024);
    check("max-clients", maxClients, 1, 1_000_000);
    check("max-depth", maxDepth, 1, Limits.MAX_DEPTH);
    check("threads", threads, 1, 1024);
    if (maxClockSkewMillis < 1 || maxClockSkewMillis > MAX_CLOCK_SKEW_LIMIT_MILLIS) {
      throw new IllegalArgumentException("max-clock-skew-ms: " + maxClockSkewMillis + " (expected: 1.."
          + MAX_CLOCK_SKEW_LIMIT_MILLIS + ")");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits: null (expected: ClientLimits, e.g. ClientLimits.DEFAULT)");
    }
    if (security == null) {
      throw new IllegalArgumentException("security: null (expected: SecurityConfig, e.g. SecurityConfig.NONE)");
    }
  }

  /**
   * 127.0.0.1, port 0, quiet, 16 MiB requests, 10000 clients, depth 64, 2 threads, in memory,
   * versions up to 60 s ahead, default client limits, no password, no TLS.
   */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 0, true, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CLIENTS,
        DEFAULT_MAX_DEPTH, DEFAULT_THREADS, null, DEFAULT_MAX_CLOCK_SKEW_MILLIS, ClientLimits.DEFAULT,
        SecurityConfig.NONE);
  }

  /**
   * A copy with some values changed, e.g. {@code config.with(c -> c.port = 9000)}, validated as
   * any configuration is.
   */
  public ServerConfig with(Consumer<Builder> change) {
    Builder values = new Builder(this);
    change.accept(values);
    return values.build();
  }

  public ServerConfig withAddress(String address) {
    return with(c -> c.address = address);
  }

  public ServerConfig withPort(int port) {
    return with(c -> c.port = port);
  }

  public ServerConfig withQuiet(boolean quiet) {
    return with(c -> c.quiet = quiet);
  }

  public ServerConfig withMaxRequestBytes(int maxRequestBytes) {
    return with(c -> c.maxRequestBytes = maxRequestBytes);
  }

  public ServerConfig withMaxClients(int maxClients) {
    return with(c -> c.maxClients = maxClients);
  }

  public ServerConfig withMaxDepth(int maxDepth) {
    return with(c -> c.maxDepth = maxDepth);
  }

  public ServerConfig withThreads(int threads) {
    return with(c -> c.threads = threads);
  }

  /** Logs writes as {@code durable} says; null: in memory only. */
  public ServerConfig withDurable(DurableConfig durable) {
    return with(c -> c.durable = durable);
  }

  public ServerConfig withMaxClockSkewMillis(long maxClockSkewMillis) {
    return with(c -> c.maxClockSkewMillis = maxClockSkewMillis);
  }

  /** The client limits (see {@link ClientLimits}). */
  public ServerConfig withLimits(ClientLimits limits) {
    return with(c -> c.limits = limits);
  }

  /** Passwords, roles, TLS (see {@link SecurityConfig}). */
  public ServerConfig withSecurity(SecurityConfig security) {
    return with(c -> c.security = security);
  }

  /** Whether writes are logged to a data directory. */
  public boolean persistent() {
    return durable != null;
  }

  /** The values of a configuration being changed by {@link #with}. Not thread-safe. */
  public static final class Builder {
    public String address;
    public int port;
    public boolean quiet;
    public int maxRequestBytes;
    public int maxClients;
    public int maxDepth;
    public int threads;
    public DurableConfig durable;
    public long maxClockSkewMillis;
    public ClientLimits limits;
    public SecurityConfig security;

    private Builder(ServerConfig c) {
      address = c.address;
      port = c.port;
      quiet = c.quiet;
      maxRequestBytes = c.maxRequestBytes;
      maxClients = c.maxClients;
      maxDepth = c.maxDepth;
      threads = c.threads;
      durable = c.durable;
      maxClockSkewMillis = c.maxClockSkewMillis;
      limits = c.limits;
      security = c.security;
    }

    private ServerConfig build() {
      return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable,
          maxClockSkewMillis, limits, security);
    }
  }

  private static void check(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
