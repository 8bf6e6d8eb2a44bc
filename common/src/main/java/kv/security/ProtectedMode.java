package kv.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Redis's protected mode, decided at start: a port without the clients' password listens only on
 * a loopback address, so nobody on the network can read or change records (a kvServer's port, the
 * broker's RESP and HTTP ports). Stateless.
 */
public final class ProtectedMode {
  /*
   * Redis keeps listening and refuses each connection from elsewhere with a long explanation;
   * KV refuses to start instead (SPEC §10): a misconfiguration is seen at once, by whoever started
   * the server, and no one can depend on an open server by accident. A TLS port without a password
   * is refused too: TLS hides the traffic but authenticates only the server (and, with --tls-ca,
   * proves a client holds a certificate, while roles come from passwords).
   */
  private ProtectedMode() {}

  /**
   * Throws when {@code address} is not a loopback address and {@code users} has no clients'
   * password; an address that does not resolve is left to the bind to report.
   *
   * @param flag the flag that sets the address, for the message ({@code -a}, {@code --bind})
   * @throws IllegalArgumentException with the one line to print
   */
  public static void check(String address, String flag, Users users) {
    if (users.passwordRequired()) {
      return;
    }
    if (elsewhere(address)) {
      throw new IllegalArgumentException("protected mode: refusing to listen on " + address
          + " without a password, since anyone who can reach it could read and change every record (expected:"
          + " a password, --password-file FILE or the environment variable KV_PASSWORD, or a loopback address,"
          + " " + flag + " 127.0.0.1 or " + flag + " ::1)");
    }
  }

  /**
   * Throws when a strong-mode server's Raft port would listen on {@code address} (not a loopback
   * address) without mutual TLS: the Raft port has no password, a certificate signed by the
   * cluster's CA is its credential. An address that does not resolve is left to the bind.
   *
   * @param port the Raft port, for the message
   * @throws IllegalArgumentException with the one line to print
   */
  public static void checkRaft(String address, int port, boolean mutualTls) {
    if (mutualTls || !elsewhere(address)) {
      return;
    }
    throw new IllegalArgumentException("protected mode: refusing to listen for Raft on " + address + ":" + port
        + " without mutual TLS, since anyone who can reach the Raft port could change every record (expected:"
        + " --tls-cert FILE --tls-key FILE --tls-ca FILE, a certificate signed by the cluster's CA being the Raft"
        + " port's credential, or a loopback address, -a 127.0.0.1 or -a ::1)");
  }

  /* Whether {@code address} resolves to a non-loopback address (one that does not resolve: no, the bind reports it). */
  private static boolean elsewhere(String address) {
    try {
      return !InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
