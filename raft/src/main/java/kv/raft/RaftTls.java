package kv.raft;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * Mutual TLS on the Raft ports: a certificate and its PKCS#8 key that a process presents (as a
 * server to whoever connects, as a client to the members it connects to), and the CA whose
 * certificates it accepts from the other side. Immutable; checked to be readable files.
 */
public record RaftTls(Path cert, Path key, Path ca) {
  /*
   * One Ratis GrpcTlsConfig serves both sides: the Raft server requires a client certificate
   * signed by the CA (mTLS on), and every channel it or a client opens to a member presents cert
   * and key and checks the member's certificate against the CA and the address it dialled (gRPC
   * verifies the host name: a member's certificate names its server-file host, e.g. IP:10.0.0.5).
   * Set as the general TLS parameter, it covers the server, admin and client services, which
   * share the one Raft port.
   */
  public RaftTls {
    readable("certificate", cert);
    readable("key", key);
    readable("CA", ca);
  }

  /** Ratis parameters that turn on mutual TLS for a server or a client. */
  public Parameters parameters() {
    Parameters p = new Parameters();
    GrpcConfigKeys.TLS.setConf(p, new GrpcTlsConfig(key.toFile(), cert.toFile(), ca.toFile(), true));
    return p;
  }

  @Override
  public String toString() {
    return "mutual TLS (certificate " + cert + ", CA " + ca + ")";
  }

  private static void readable(String what, Path file) {
    if (file == null) {
      throw new IllegalArgumentException("Raft TLS " + what + ": missing (expected: a certificate, its key and the"
          + " CA, all three)");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("Raft TLS " + what + " " + file + ": "
          + (Files.exists(file) ? "not a readable file" : "no such file") + " (expected: a PEM file)");
    }
  }
}
