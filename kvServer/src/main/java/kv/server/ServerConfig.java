package kv.server;

import kv.server.durable.DurableConfig;

/**
 * Everything a {@link KvServer} needs to start, passed in (no global state). Start from
 * {@link #defaults()} and change fields with the {@code withX} methods. Immutable.
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
 * @param maxDepth deepest nesting of sets and lists the record parser accepts
 * @param threads event-loop threads that read, execute and write requests
 * @param durable where and how writes are logged before they are acknowledged, or null for a
 *     server that keeps its data in memory only
 * @param limits what clients may cost: partial requests, unread replies, idle and slow clients
 */
public record ServerConfig(
    String address, int port, boolean quiet, int maxRequestBytes, int maxClients, int maxDepth,
    int threads, DurableConfig durable, ClientLimits limits) {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_CLIENTS = 10_000;
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_THREADS = 2;

  public ServerConfig {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address: '" + address + "' (expected: an IP address or host name)");
    }
    check("port", port, 0, 65535);
    check("max-request-bytes", maxRequestBytes, 16, Integer.MAX_VALUE - 1024 * 1024);
    check("max-clients", maxClients, 1, 1_000_000);
    check("max-depth", maxDepth, 1, 10_000);
    check("threads", threads, 1, 1024);
    if (limits == null) {
      throw new IllegalArgumentException("limits: null (expected: ClientLimits, e.g. ClientLimits.DEFAULT)");
    }
  }

  /** 127.0.0.1, port 0, quiet, 16 MiB requests, 10000 clients, depth 64, 2 threads, in memory, default limits. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 0, true, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CLIENTS,
        DEFAULT_MAX_DEPTH, DEFAULT_THREADS, null, ClientLimits.DEFAULT);
  }

  public ServerConfig withAddress(String address) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  public ServerConfig withQuiet(boolean quiet) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  public ServerConfig withMaxRequestBytes(int maxRequestBytes) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  public ServerConfig withMaxClients(int maxClients) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  public ServerConfig withMaxDepth(int maxDepth) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  public ServerConfig withThreads(int threads) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  /** Logs writes as {@code durable} says; null: in memory only. */
  public ServerConfig withDurable(DurableConfig durable) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  /** The client limits (see {@link ClientLimits}). */
  public ServerConfig withLimits(ClientLimits limits) {
    return new ServerConfig(address, port, quiet, maxRequestBytes, maxClients, maxDepth, threads, durable, limits);
  }

  /** Whether writes are logged to a data directory. */
  public boolean persistent() {
    return durable != null;
  }

  private static void check(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
