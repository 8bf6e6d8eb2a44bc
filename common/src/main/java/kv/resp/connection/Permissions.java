package kv.resp.connection;

import kv.resp.Resp;
import kv.security.Access;

/**
 * The one check of who may run what, for every RESP port: a command a connection may not run yet
 * gets Redis's {@code -NOAUTH Authentication required.}, one its user may not run Redis 7's
 * {@code -NOPERM User default has no permissions to run the 'vput' command}. Stateless.
 */
public final class Permissions {
  public static final String NOAUTH = "NOAUTH Authentication required.";

  private Permissions() {}

  /**
   * Null when {@code client} may run a command that needs {@code access}, else the error reply.
   *
   * @param command the command's name as Redis names it in NOPERM, lower case, with
   *     {@code |subcommand} for a subcommand (e.g. {@code client|kill})
   */
  public static Resp.Error check(ClientState client, Access access, String command) {
    if (access == Access.OPEN) {
      return null;
    }
    if (!client.authenticated()) {
      return new Resp.Error(NOAUTH);
    }
    if (!client.role().allows(access)) {
      return new Resp.Error("NOPERM User " + client.user() + " has no permissions to run the '" + Errors.quote(command)
          + "' command");
    }
    return null;
  }
}
