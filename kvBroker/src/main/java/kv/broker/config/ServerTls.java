package kv.broker.config;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import javax.net.ssl.SSLSocketFactory;
import kv.raft.RaftTls;
import kv.security.TlsContexts;

/**
 * How the broker connects to TLS servers ({@code --server-tls-ca}, {@code --server-tls-cert},
 * {@code --server-tls-key}): trusting the certificates {@code ca} signed, and presenting
 * {@code cert} (with its PKCS#8 {@code key}) to servers that require a client certificate, or
 * none (both null). Immutable; the files are checked to load when it is made.
 */
public record ServerTls(Path ca, Path cert, Path key) {
  public ServerTls {
    if (ca == null) {
      throw new IllegalArgumentException("--server-tls-ca: missing (expected: the CA that signed the servers'"
          + " certificates)");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--server-tls-cert " + cert + " --server-tls-key " + key
          + ": one without the other (expected: both, the client certificate and its private key)");
    }
    TlsContexts.client(ca, cert, key); // unreadable or unusable files: the one line now
  }

  /** Whether a client certificate is presented. */
  public boolean hasClientCertificate() {
    return cert != null;
  }

  /** A Netty client context (JDK provider) for the servers' RESP ports. */
  public SslContext context() {
    return TlsContexts.client(ca, cert, key);
  }

  /** The same for blocking sockets. */
  public SSLSocketFactory socketFactory() {
    return ((JdkSslContext) context()).context().getSocketFactory();
  }

  /**
   * Mutual TLS to strong-mode servers' Raft ports.
   *
   * @throws IllegalStateException without a client certificate (the Raft ports require one)
   */
  public RaftTls raft() {
    if (cert == null) {
      throw new IllegalStateException("no client certificate for the Raft ports");
    }
    return new RaftTls(cert, key, ca);
  }
}
