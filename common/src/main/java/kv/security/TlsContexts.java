package kv.security;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * Builds a TLS port's context (a kvServer's, the broker's RESP and HTTP ports) from its PEM files (Netty's JDK provider, TLS 1.2 and 1.3; with a
 * client CA, clients must present a certificate it signed) and says in one line why a TLS
 * connection failed. Stateless.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * The server context for {@code files}.
   *
   * @throws IllegalArgumentException naming the file when a certificate or key cannot be read
   */
  public static SslContext server(TlsFiles files) {
    SslContextBuilder builder;
    try {
      builder = SslContextBuilder.forServer(files.cert().toFile(), files.key().toFile());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-cert " + files.cert() + " --tls-key " + files.key()
          + ": cannot read the certificate or its key (" + rootMessage(e) + ") (expected: PEM files, the key"
          + " unencrypted PKCS#8, 'BEGIN PRIVATE KEY'; convert with openssl pkcs8 -topk8 -nocrypt)", e);
    }
    builder.sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
    if (files.mutual()) {
      builder.trustManager(files.ca().toFile()).clientAuth(ClientAuth.REQUIRE);
    }
    try {
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-cert " + files.cert() + " --tls-key " + files.key()
          + (files.mutual() ? " --tls-ca " + files.ca() : "") + ": cannot use them (" + rootMessage(e)
          + ") (expected: a PEM certificate chain, its unencrypted PKCS#8 key and, for --tls-ca, PEM CA"
          + " certificates)", e);
    }
  }

  /** A one-line reason for a TLS connection that failed, or null when {@code cause} is not about TLS. */
  public static String refusal(Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof NotSslRecordException) {
      return "not a TLS connection (plain text on a TLS port)";
    }
    if (c instanceof SSLException) {
      return "TLS failed: " + describe(c);
    }
    return null;
  }

  public static String describe(Throwable cause) {
    return rootMessage(cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }
}
