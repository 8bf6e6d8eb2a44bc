package kv.broker.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.security.Secret;
import kv.security.Users;

/**
 * How the broker authenticates to every server, first thing on each connection: {@code AUTH
 * cluster PASSWORD} with the cluster's password, else {@code AUTH default PASSWORD} with the
 * clients' (a cluster with one password: {@code default} may run everything). Immutable.
 *
 * @param user {@link Users#CLUSTER} or {@link Users#DEFAULT}
 * @param password its password
 */
public record ServerLogin(String user, Secret password) {

  public ServerLogin {
    if (!Users.CLUSTER.equals(user) && !Users.DEFAULT.equals(user) || password == null) {
      throw new IllegalArgumentException("server login: user " + user + ", password " + password
          + " (expected: user cluster or default, and a password)");
    }
  }

  /** The login the passwords given imply (the cluster's first), or null when neither is given. */
  public static ServerLogin of(Secret clientPassword, Secret clusterPassword) {
    if (clusterPassword != null) {
      return new ServerLogin(Users.CLUSTER, clusterPassword);
    }
    return clientPassword == null ? null : new ServerLogin(Users.DEFAULT, clientPassword);
  }

  /** {@code AUTH user password}, as sent. */
  public List<byte[]> request() {
    return List.of("AUTH".getBytes(StandardCharsets.US_ASCII), user.getBytes(StandardCharsets.US_ASCII),
        password.bytes());
  }

  /** Where this login's password came from, for messages: the flag or variable to check. */
  public String source() {
    return Users.CLUSTER.equals(user) ? "the cluster's password, --admin-password-file or KV_ADMIN_PASSWORD"
        : "the clients' password, --password-file or KV_PASSWORD";
  }

  @Override
  public String toString() {
    return "ServerLogin[" + user + "]";
  }
}
