package kv.broker;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.resp.Resp;

/**
 * What the replication logic sees of one server: its address, whether the failure detector
 * believes it is up, and a way to send it a request. Implementations are thread-safe.
 */
interface ServerLink {

  ServerAddress address();

  boolean isUp();

  /**
   * Sends one request. The future completes with the server's reply (an error reply is a normal
   * {@code Resp.Error} result) or fails with a {@link TransportException} when the server is down
   * or does not answer in time.
   */
  CompletableFuture<Resp> send(List<byte[]> args);
}
