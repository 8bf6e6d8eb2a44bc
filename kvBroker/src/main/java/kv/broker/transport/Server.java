package kv.broker.transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.cluster.ServerAddress;
import kv.resp.Resp;

/**
 * What the replication logic sees of one server: its address, whether the failure detector
 * believes it is up, and a way to send it a request. Implementations are thread-safe.
 */
public interface Server {

  ServerAddress address();

  boolean isUp();

  /**
   * Whether the server is UP but still catching up (restarted, or missed writes while down): its
   * answers count, but its "not found" or older version is not authoritative.
   */
  boolean catchingUp();

  /**
   * Whether this server's answer for a key with these replicas is authoritative: it is not
   * catching up, or its resync already compared it with every other replica of the key.
   */
  default boolean trustedFor(List<ServerAddress> replicas) {
    return !catchingUp();
  }

  /**
   * Sends one request. The future completes with the server's reply (an error reply is a normal
   * {@code Resp.Error} result) or fails with a {@link TransportException} when the server is down
   * or does not answer in time.
   */
  CompletableFuture<Resp> send(List<byte[]> args);
}
