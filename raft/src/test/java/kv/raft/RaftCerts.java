package kv.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kv.testkit.TestCerts;

/**
 * Test certificates made by openssl in a temporary directory (no key is committed): a cluster CA
 * and a member certificate it signed for 127.0.0.1, and a stranger's CA with a certificate of its
 * own for 127.0.0.1 too (a process that is not the cluster's). Keys are PKCS#8 PEM.
 */
final class RaftCerts {
  final Path dir;

  private RaftCerts(Path dir) {
    this.dir = dir;
  }

  static RaftCerts create(Path dir) throws IOException, InterruptedException {
    RaftCerts c = new RaftCerts(dir);
    Files.writeString(dir.resolve("member.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    for (String ca : List.of("ca", "other-ca")) {
      c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt",
          "-days", "2", "-subj", "/CN=kv-test-" + ca);
    }
    c.sign("member", "ca");
    c.sign("stranger", "other-ca");
    return c;
  }

  /** A member of the cluster: its certificate signed by the cluster's CA, trusting that CA. */
  RaftTls member() {
    return new RaftTls(dir.resolve("member.crt"), dir.resolve("member.key"), dir.resolve("ca.crt"));
  }

  /** Not of the cluster: a certificate another CA signed, though it trusts the cluster's CA. */
  RaftTls stranger() {
    return new RaftTls(dir.resolve("stranger.crt"), dir.resolve("stranger.key"), dir.resolve("ca.crt"));
  }

  private void sign(String who, String ca) throws IOException, InterruptedException {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
        "-subj", "/CN=kv-test-" + who);
    openssl("x509", "-req", "-in", who + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
        "-out", who + ".crt", "-days", "2", "-extfile", "member.ext");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    TestCerts.openssl(dir, args);
  }
}
