package kv.broker.strong;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import kv.broker.config.ServerLogin;
import kv.broker.config.ServerTls;
import kv.cluster.ServerAddress;
import kv.resp.ReplyDecoder;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import kv.resp.RespLimits;
import kv.resp.RespProtocolException;
import kv.security.TlsContexts;

/**
 * How the broker reads a server's INFO before it knows the cluster (strong mode learns G and k
 * from it): the network behind one call, so {@link ClusterDiscovery} runs over canned answers in
 * tests. Implementations are thread-safe.
 */
public interface InfoSource {
  /**
   * The text of {@code server}'s INFO reply.
   *
   * @throws IOException when the server cannot be reached or does not answer in time, or
   *     answers with an error (its text is the message)
   */
  String info(ServerAddress server) throws IOException;

  /** A server refused the broker's AUTH: its password is wrong or missing (asking again will not help). */
  final class LoginRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    LoginRefusedException(String message) {
      super(message);
    }
  }

  /** Over a new plain TCP connection per call, each step bounded by {@code timeout}, without AUTH. */
  static InfoSource socket(Duration timeout) {
    return socket(timeout, null, null);
  }

  /**
   * Over a new TCP connection per call, each step bounded by {@code timeout}: TLS when
   * {@code tls} is given (the server's certificate checked against its CA and the address), then
   * {@code AUTH user password} when {@code login} is given, then INFO.
   */
  static InfoSource socket(Duration timeout, ServerLogin login, ServerTls tls) {
    SSLSocketFactory factory = tls == null ? null : tls.socketFactory();
    return server -> {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(server.host(), server.port()), millis);
        plain.setSoTimeout(millis);
        Socket socket = plain;
        if (factory != null) {
          SSLSocket secure = (SSLSocket) factory.createSocket(plain, server.host(), server.port(), true);
          SSLParameters parameters = secure.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          secure.setSSLParameters(parameters);
          try {
            secure.startHandshake();
          } catch (SSLException e) {
            throw new IOException("TLS failed: " + TlsContexts.describe(e) + " (expected: a certificate that"
                + " --server-tls-ca signed, naming " + server.host() + ")", e);
          }
          socket = secure;
        }
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        ReplyDecoder decoder = new ReplyDecoder(new RespLimits(64 * 1024, 16 * 1024 * 1024, 16));
        long deadline = System.nanoTime() + timeout.toNanos();
        if (login != null) {
          RespEncoder.encodeRequest(login.request(), out);
          out.flush();
          Resp reply = read(in, decoder, deadline, timeout, "AUTH", factory != null);
          if (reply instanceof Resp.Error e) {
            throw new LoginRefusedException("authentication refused as user " + login.user() + ": " + e.text()
                + " (expected: " + login.source() + " to hold the servers' password)");
          }
        }
        out.write("*1\r\n$4\r\nINFO\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Resp reply = read(in, decoder, deadline, timeout, "INFO", factory != null);
        if (reply instanceof Resp.Bulk b) {
          return b.text();
        }
        if (reply instanceof Resp.Error e) {
          if (e.text().startsWith("NOAUTH")) {
            throw new LoginRefusedException("the server requires a password: " + e.text() + " (expected: the"
                + " cluster's password, --admin-password-file FILE or KV_ADMIN_PASSWORD, or the clients',"
                + " --password-file FILE or KV_PASSWORD)");
          }
          throw new IOException("answered INFO with -" + e.text());
        }
        throw new IOException("answered INFO with " + reply + " (expected: a bulk string)");
      } catch (RespProtocolException e) {
        throw new IOException("answered with bytes that are not RESP: " + e.getMessage()
            + (tls == null ? " (a TLS port? give --server-tls-ca)" : ""), e);
      }
    };
  }

  /* The next reply, by the deadline. */
  private static Resp read(InputStream in, ReplyDecoder decoder, long deadline, Duration timeout, String what,
      boolean tls) throws IOException, RespProtocolException {
    byte[] buffer = new byte[16 * 1024];
    Resp reply = decoder.next(ByteBuffer.allocate(0));
    while (reply == null) {
      if (System.nanoTime() - deadline >= 0) {
        throw new SocketTimeoutException("no answer to " + what + " within " + timeout.toMillis() + " ms");
      }
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("closed the connection before answering " + what
            + (tls ? "" : " (a TLS port? give --server-tls-ca)"));
      }
      reply = decoder.next(ByteBuffer.wrap(buffer, 0, n));
    }
    return reply;
  }
}
