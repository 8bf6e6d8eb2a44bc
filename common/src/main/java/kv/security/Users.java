package kv.security;

/**
 * KV's two built-in users, as Redis ACL users: {@code default}, the clients' (password from
 * {@code --password-file}/{@code KV_PASSWORD}; without one, every connection is {@code default}
 * from the start, as in a Redis without {@code requirepass}), and {@code cluster}, the broker's
 * (password from {@code --admin-password-file}/{@code KV_ADMIN_PASSWORD}; without one the user
 * does not exist). Immutable.
 */
public final class Users {
  /*
   * Roles: with a cluster password, default has the client role and only cluster may run the
   * cluster's commands. Without one, default may run everything (as Redis's requirepass, the
   * single password is everyone's), so a cluster with one password still replicates. With no
   * password at all nothing is asked, as before passwords existed.
   */
  public static final String DEFAULT = "default";
  public static final String CLUSTER = "cluster";
  /** No passwords: every connection is {@code default}, allowed everything. */
  public static final Users OPEN = new Users(null, null);

  /* compared when the user does not exist, so a wrong user name costs the time a wrong password does */
  private static final Secret DUMMY = Secret.of("dummy", "no user has this password");

  private final Secret clientPassword;
  private final Secret clusterPassword;

  /** Either may be null: no password for {@code default}, no user {@code cluster}. */
  public Users(Secret clientPassword, Secret clusterPassword) {
    this.clientPassword = clientPassword;
    this.clusterPassword = clusterPassword;
  }

  /** Whether a connection must authenticate before it runs anything but AUTH, HELLO, QUIT, RESET. */
  public boolean passwordRequired() {
    return clientPassword != null;
  }

  /** Whether the {@code cluster} user exists, so roles are split. */
  public boolean hasClusterUser() {
    return clusterPassword != null;
  }

  /** The role of user {@code default}. */
  public Role defaultRole() {
    return clusterPassword == null ? Role.CLUSTER : Role.CLIENT;
  }

  /** The role of {@code user} if {@code password} is its password, else null (also for unknown users). */
  public Role authenticate(String user, byte[] password) {
    if (DEFAULT.equals(user)) {
      if (clientPassword == null) {
        DUMMY.matches(password);
        return defaultRole(); // nopass: any password, as Redis
      }
      return clientPassword.matches(password) ? defaultRole() : null;
    }
    if (CLUSTER.equals(user) && clusterPassword != null) {
      return clusterPassword.matches(password) ? Role.CLUSTER : null;
    }
    DUMMY.matches(password);
    return null;
  }

  /** The role of {@code user}, logged in without a password (only {@code default} without one), or null. */
  public Role withoutPassword() {
    return clientPassword == null ? defaultRole() : null;
  }

  @Override
  public String toString() {
    return "Users[default " + (clientPassword == null ? "without password" : "with password") + ", cluster "
        + (clusterPassword == null ? "absent" : "with password") + "]";
  }
}
