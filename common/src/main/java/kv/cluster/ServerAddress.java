package kv.cluster;

import java.util.Objects;

/** A server's host and port as written in the server file; {@link #toString()} is {@code host:port}. Immutable. */
public record ServerAddress(String host, int port) {
  public ServerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host: \"\" (expected: an IP address or host name)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }

  /** The {@code ip:port} text that names the server everywhere (placement, logs, status). */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
