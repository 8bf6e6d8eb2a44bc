package kv.resp.connection;

import static kv.resp.connection.Errors.arity;
import static kv.resp.connection.Errors.error;

import java.util.List;
import kv.resp.Request;
import kv.resp.Resp;
import kv.security.Role;
import kv.security.Users;

/**
 * AUTH and the AUTH option of HELLO, with Redis 7's rules and replies: {@code AUTH password}
 * (user {@code default}), {@code AUTH user password}; a wrong pair is
 * {@code -WRONGPASS invalid username-password pair or user is disabled.} and leaves the
 * connection as it was. Passwords are compared as bytes, in constant time. Stateless.
 */
final class Authentication {
  static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
  static final String NO_PASSWORD = "ERR AUTH <password> called without any password configured for the"
      + " default user. Are you sure your configuration is correct?";
  static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, otherwise"
      + " the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP"
      + " protocol version at the same time";

  private Authentication() {}

  static Resp auth(Request request, ClientState state) {
    int argc = request.size() - 1;
    if (argc == 0) {
      return arity("auth", "AUTH [username] password");
    }
    if (argc > 2) {
      return error("ERR syntax error");
    }
    if (argc == 1 && !state.users().passwordRequired()) {
      return error(NO_PASSWORD); // as Redis: the default user has no password to check
    }
    String user = argc == 1 ? Users.DEFAULT : request.arg(1);
    byte[] password = request.args().get(argc);
    return login(user, password, state) ? Resp.OK : error(WRONGPASS);
  }

  /** HELLO's {@code AUTH user password}: true when it succeeded (else the caller answers WRONGPASS). */
  static boolean login(String user, byte[] password, ClientState state) {
    Role role = state.users().authenticate(user, password);
    if (role == null) {
      state.authFailed(user);
      return false;
    }
    state.login(user, role);
    return true;
  }

  /** Whether {@code request} tries a password (AUTH, or HELLO with its AUTH option), for a throttle. */
  static boolean isAttempt(Request request) {
    String command = request.command();
    if (command.equals("AUTH")) {
      return true;
    }
    if (!command.equals("HELLO")) {
      return false;
    }
    List<byte[]> args = request.args();
    for (int i = 2; i + 2 < args.size(); i++) {
      byte[] a = args.get(i);
      if (a.length == 4 && (a[0] | 0x20) == 'a' && (a[1] | 0x20) == 'u' && (a[2] | 0x20) == 't' && (a[3] | 0x20) == 'h') {
        return true;
      }
    }
    return false;
  }
}
