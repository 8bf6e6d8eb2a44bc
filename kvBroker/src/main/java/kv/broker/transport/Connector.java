package kv.broker.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import kv.cluster.ServerAddress;

/** Opens {@link Connection}s to servers (Netty in production, an in-memory network in tests). Thread-safe. */
public interface Connector extends AutoCloseable {

  /**
   * Connects; the future fails with the cause (e.g. a {@code ConnectException}) on refusal or
   * timeout. The timeout is also the failure detector's: the connection measures its server's
   * {@link Connection#silentNanos silence} often enough to tell it.
   */
  CompletableFuture<Connection> connect(ServerAddress address, Duration timeout);

  @Override
  void close();
}
