package kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl in
 * a test's temporary directory (no private key is committed). PEM keys are PKCS#8.
 */
public final class TestCerts {
  static final char[] P12_PASSWORD = "changeit".toCharArray();
  public final Path dir;
  public final Path ca;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;
  public final Path clientP12;

  private TestCerts(Path dir) {
    this.dir = dir;
    ca = dir.resolve("ca.crt");
    serverCert = dir.resolve("server.crt");
    serverKey = dir.resolve("server.key");
    clientCert = dir.resolve("client.crt");
    clientKey = dir.resolve("client.key");
    clientP12 = dir.resolve("client.p12");
  }

  public static TestCerts create(Path dir) throws IOException, InterruptedException {
    TestCerts c = new TestCerts(dir);
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=kv-test-ca");
    for (String who : List.of("server", "client")) {
      c.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
          "-subj", "/CN=kv-test-" + who);
      c.openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
    }
    c.openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
        "-passout", "pass:" + new String(P12_PASSWORD));
    return c;
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    openssl(dir, args);
  }

  /** Runs {@code openssl args} in {@code dir}, asserting that it succeeds (its output in the failure). */
  public static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }

  /** A client context trusting the test CA, presenting the client certificate when {@code withCert}. */
  public SSLContext clientContext(boolean withCert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (withCert) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(clientP12)) {
        keys.load(in, P12_PASSWORD);
      }
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, P12_PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
