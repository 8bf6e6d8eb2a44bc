package kv.security;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Builds a TLS port's context (a kvServer's, the broker's RESP and HTTP ports) from its PEM files,
 * and a client's context for the broker's connections to TLS servers (Netty's JDK provider, TLS 1.2 and 1.3; with a
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

  /**
   * A client context trusting the certificates {@code ca} signed and, when {@code cert} and
   * {@code key} are given, presenting that certificate (for servers that require one). The
   * flags named in messages are the broker's {@code --server-tls-*}.
   *
   * @throws IllegalArgumentException naming the files when they cannot be used
   */
  public static SslContext client(Path ca, Path cert, Path key) {
    SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2");
    try {
      builder.trustManager(ca.toFile());
      if (cert != null) {
        builder.keyManager(cert.toFile(), key.toFile());
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--server-tls-ca " + ca + (cert == null ? "" : " --server-tls-cert " + cert
          + " --server-tls-key " + key) + ": cannot use them (" + rootMessage(e) + ") (expected: PEM CA certificates"
          + " and, for the client certificate, a PEM certificate chain and its unencrypted PKCS#8 key)", e);
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
