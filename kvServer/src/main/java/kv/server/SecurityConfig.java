package kv.server;

import kv.security.AuthThrottle;
import kv.security.TlsFiles;
import kv.security.Users;

/**
 * Who may connect to a server and how: its users and their passwords, TLS (null: plain TCP) and
 * how slowly wrong passwords are answered. Immutable.
 *
 * @param users the {@code default} (clients') and {@code cluster} passwords; {@link Users#OPEN}
 *     for none
 * @param tls certificate, key and optional client CA, or null
 * @param throttle the delays after wrong passwords
 */
public record SecurityConfig(Users users, TlsFiles tls, AuthThrottle.Policy throttle) {
  /** No passwords, no TLS. */
  public static final SecurityConfig NONE = new SecurityConfig(Users.OPEN, null, AuthThrottle.DEFAULT);

  public SecurityConfig {
    if (users == null || throttle == null) {
      throw new IllegalArgumentException("security: users " + users + ", throttle " + throttle
          + " (expected: both set; Users.OPEN for no passwords)");
    }
  }

  public SecurityConfig withUsers(Users users) {
    return new SecurityConfig(users, tls, throttle);
  }

  public SecurityConfig withTls(TlsFiles tls) {
    return new SecurityConfig(users, tls, throttle);
  }

  public SecurityConfig withThrottle(AuthThrottle.Policy throttle) {
    return new SecurityConfig(users, tls, throttle);
  }
}
