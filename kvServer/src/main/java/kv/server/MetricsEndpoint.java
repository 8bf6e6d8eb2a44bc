package kv.server;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.netty.handler.ssl.JdkSslContext;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import kv.security.AuthThrottle;
import kv.security.BearerToken;
import kv.security.TlsContexts;
import kv.security.TlsFiles;
import kv.security.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics port ({@code --metrics-port}): the Prometheus client library's HTTP server serving
 * one registry at {@code GET /metrics} (text format, or OpenMetrics when asked) and
 * {@code GET /-/healthy}; with the server's password every request needs
 * {@code Authorization: Bearer PASSWORD}, and with its TLS files the port is HTTPS. Thread-safe.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /**
   * Binds {@code address:port} with the server's passwords and TLS files.
   *
   * @throws IllegalArgumentException when the TLS files cannot be used
   * @throws UncheckedIOException (a BindException) when the port cannot be bound
   */
  static MetricsEndpoint start(String address, int port, PrometheusRegistry registry, SecurityConfig security) {
    HTTPServer.Builder builder = HTTPServer.builder().hostname(address).port(port).registry(registry);
    if (security.users().passwordRequired()) {
      builder.authenticator(new Bearer(security.users(), new AuthThrottle(security.throttle())));
    }
    if (security.tls() != null) {
      builder.httpsConfigurator(https(security.tls()));
    }
    try {
      return new MetricsEndpoint(builder.buildAndStart());
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof BindException) {
        why = why.toLowerCase(Locale.ROOT);
      }
      throw new UncheckedIOException(new BindException("cannot listen on " + hostPort(address, port) + " (metrics): "
          + why));
    }
  }

  /** HTTPS with the RESP port's certificate and key; with its CA, client certificates are required. */
  private static HttpsConfigurator https(TlsFiles files) {
    SSLContext context = ((JdkSslContext) TlsContexts.server(files)).context();
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = context.getDefaultSSLParameters();
        ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ssl.setNeedClientAuth(files.mutual());
        params.setSSLParameters(ssl);
      }
    };
  }

  int port() {
    return server.getPort();
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * {@code Authorization: Bearer PASSWORD} with the clients' or the cluster's password (Prometheus's
   * {@code authorization: credentials_file}); 401 with {@code WWW-Authenticate} otherwise. An
   * address with recent wrong passwords gets 429 and {@code Retry-After} until its throttle turn
   * instead of a verdict, so no thread of the port waits on a guesser. Thread-safe.
   */
  static final class Bearer extends Authenticator {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final String CHALLENGE = "Bearer realm=\"kvServer metrics\"";

    private final Users users;
    private final AuthThrottle throttle;

    Bearer(Users users, AuthThrottle throttle) {
      this.users = users;
      this.throttle = throttle;
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
      byte[] token = BearerToken.of(exchange.getRequestHeaders().getFirst("Authorization"));
      if (token == null) {
        exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
        return new Retry(401);
      }
      InetAddress remote = exchange.getRemoteAddress().getAddress();
      long wait = throttle.admit(remote);
      if (wait != 0) {
        long seconds = wait == AuthThrottle.REFUSED ? 60 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        return new Failure(429);
      }
      if (users.authenticate(Users.DEFAULT, token) != null || users.authenticate(Users.CLUSTER, token) != null) {
        return new Success(new HttpPrincipal("metrics", "kvServer"));
      }
      int recent = throttle.failed(remote);
      log.warn("client {}: wrong password in Authorization: Bearer on the metrics port ({} failed authentications"
          + " from {} recently)", exchange.getRemoteAddress(), recent, remote.getHostAddress());
      exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
      return new Retry(401);
    }
  }
}
