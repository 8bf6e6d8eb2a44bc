package kv.broker.router;

import java.io.IOException;
import kv.broker.transport.netty.IoThreads;
import kv.broker.transport.netty.Listener;
import kv.resp.RespLimits;
import kv.security.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's RESP port ({@code --port}): serves the broker commands to many concurrent clients,
 * as a router in front of the servers (like mongos or twemproxy), on the broker's {@link IoThreads}.
 * Thread-safe; {@link #close} stops accepting and closes every connection (the threads are the
 * program's, closed after it).
 */
public final class RouterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);

  private final Listener listener;

  private RouterServer(Listener listener) {
    this.listener = listener;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving on {@code io}'s event
   * loops, those of the server connections too, so a request and its reply never change threads.
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static RouterServer start(String host, int port, RouterCommands commands, RespLimits limits, IoThreads io)
      throws IOException {
    return start(host, port, commands, limits, io, null);
  }

  /** As above, TLS only when {@code tls} is not null (PEM files checked by {@link TlsFiles}). */
  public static RouterServer start(String host, int port, RouterCommands commands, RespLimits limits, IoThreads io,
      TlsFiles tls) throws IOException {
    Listener listener = Listener.bind(host, port, io, tls, "RESP",
        pipeline -> pipeline.addLast(new RouterConnection(commands, limits)));
    RouterServer server = new RouterServer(listener);
    commands.clients().port(server.port());
    log.info("router listening on {}:{}", host, server.port());
    return server;
  }

  /** Clients connected now (for the broker's metrics). */
  public long connectedClients() {
    return listener.connectedClients();
  }

  public int port() {
    return listener.port();
  }

  @Override
  public void close() {
    listener.close();
  }
}
