package kv.broker.transport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.cluster.ServerAddress;
import kv.resp.Resp;

/**
 * What the replication logic sees of one server: its address, whether the failure detector
 * believes it is up, whether its log takes writes, whether its answers are trusted, and a way to
 * send it a request. Implementations are thread-safe.
 */
public interface Server {

  ServerAddress address();

  boolean isUp();

  /**
   * Whether the server is UP but still catching up (restarted, or owed writes it missed): its
   * answers count, but its "not found" or older version is not authoritative for every key.
   */
  boolean catchingUp();

  /**
   * Whether this server's answer for a key with these replicas is authoritative: it is not
   * catching up, or it was compared with every other replica of the key and none of them is
   * known to hold hints for it.
   */
  default boolean trustedFor(List<ServerAddress> replicas) {
    return !catchingUp();
  }

  /** Whether writes should go to it: UP and its log takes writes (not a full disk). */
  default boolean writable() {
    return isUp();
  }

  /** A write was refused because the server cannot log it: route writes around it until it says otherwise. */
  default void logRefused(String reason) {}

  /** The instance id the server reported (new at each start), or null before it answered. */
  default String instanceId() {
    return null;
  }

  /**
   * Sends one request. The future completes with the server's reply (an error reply is a normal
   * {@code Resp.Error} result) or fails with a {@link TransportException} when the server is down
   * or does not answer in time.
   */
  CompletableFuture<Resp> send(List<byte[]> args);
}
