package kv.security;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PEM files of a TLS port, as {@code --tls-cert}, {@code --tls-key} and {@code --tls-ca} give
 * them: the certificate chain and its private key (PKCS#8, unencrypted), and optionally the CA
 * whose certificates clients must present (mutual TLS). Immutable; checked to be readable files.
 */
public record TlsFiles(Path cert, Path key, Path ca) {
  public TlsFiles {
    if (cert == null || key == null) {
      throw new IllegalArgumentException("--tls-cert " + cert + " --tls-key " + key
          + ": one without the other (expected: both, the certificate and its private key)");
    }
    readable("--tls-cert", cert);
    readable("--tls-key", key);
    if (ca != null) {
      readable("--tls-ca", ca);
    }
  }

  /**
   * The files as the flags give them: null when none is given (no TLS).
   *
   * @throws IllegalArgumentException when {@code --tls-ca} comes without the others, or one is
   *     missing or unreadable
   */
  public static TlsFiles of(Path cert, Path key, Path ca) {
    if (cert == null && key == null) {
      if (ca != null) {
        throw new IllegalArgumentException("--tls-ca " + ca + ": without --tls-cert and --tls-key (expected: all three"
            + " for mutual TLS)");
      }
      return null;
    }
    return new TlsFiles(cert, key, ca);
  }

  /** Whether clients must present a certificate signed by {@link #ca}. */
  public boolean mutual() {
    return ca != null;
  }

  private static void readable(String flag, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(flag + " " + file + ": " + (Files.exists(file) ? "not a readable file"
          : "no such file") + " (expected: a PEM file)");
    }
  }
}
