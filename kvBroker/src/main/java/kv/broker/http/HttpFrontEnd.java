package kv.broker.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import kv.broker.transport.netty.IoThreads;
import kv.broker.transport.netty.Listener;
import kv.security.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP port ({@code --http}): Netty's HTTP/1.1 codec and body aggregator on the
 * broker's {@link IoThreads}, one {@link HttpConnection} per client, answers from the
 * {@link HttpApi}. Thread-safe; {@link #close} stops accepting and closes every connection (the
 * threads are the program's).
 */
public final class HttpFrontEnd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFrontEnd.class);
  /** Longest request line (method, target with a percent-encoded key, version). */
  static final int MAX_REQUEST_LINE = 64 * 1024;
  /** Largest header block. */
  static final int MAX_HEADERS = 16 * 1024;

  private final Listener listener;

  private HttpFrontEnd(Listener listener) {
    this.listener = listener;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and serves on {@code io}'s event loops, those
   * of the server connections too, so a request and its engine's answer need not change threads.
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static HttpFrontEnd start(String host, int port, HttpApi api, IoThreads io) throws IOException {
    return start(host, port, api, io, null);
  }

  /** As above, HTTPS only when {@code tls} is not null (PEM files checked by {@link TlsFiles}). */
  public static HttpFrontEnd start(String host, int port, HttpApi api, IoThreads io, TlsFiles tls)
      throws IOException {
    HttpFrontEnd server = new HttpFrontEnd(Listener.bind(host, port, io, tls, "HTTP", pipeline -> serve(pipeline, api)));
    log.info("HTTP listening on {}:{}", host, server.port());
    return server;
  }

  /** Adds the handlers that turn a connection's bytes into {@code api}'s answers (after TLS, if any). */
  static void serve(ChannelPipeline pipeline, HttpApi api) {
    pipeline
        .addLast(new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADERS)))
        .addLast(new BodyLimit(api.maxBodyBytes()))
        .addLast(new HttpConnection(api));
  }

  /** Clients connected now (for the broker's metrics). */
  public int connectedClients() {
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
