package kv.broker.router;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import kv.resp.Resp;
import kv.resp.connection.ClientState;
import kv.security.AuthThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's password attempts (AUTH, HELLO ... AUTH), as kvServer's ConnectionHandler paces
 * them: each asks the port's {@link AuthThrottle} for its turn by the client's address, nothing
 * after it is decoded while it waits, and a wrong password is counted and logged with the
 * address (under {@link RouterConnection}'s logger). Not thread-safe: confined to the
 * connection's event loop.
 */
final class AuthGate {
  private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);

  private final AuthThrottle throttle;
  private final InetAddress remote;
  /** A password attempt waits for its turn: decode nothing until it has run. */
  private boolean waiting;

  AuthGate(AuthThrottle throttle, SocketAddress remoteAddress) {
    this.throttle = throttle;
    this.remote = remoteAddress instanceof InetSocketAddress inet ? inet.getAddress()
        : InetAddress.getLoopbackAddress();
  }

  /** Whether a password attempt is waiting for its turn (decode nothing after it meanwhile). */
  boolean waiting() {
    return waiting;
  }

  /**
   * Runs a password attempt: {@code now} when its turn is now, {@code later} on {@code loop} once
   * its turn comes (nothing is decoded meanwhile), or answers {@code refuse} (logged) when its
   * address failed too often.
   */
  void attempt(ClientState client, ScheduledExecutorService loop, Runnable now, Runnable later,
      Consumer<Resp.Error> refuse) {
    long wait = throttle.admit(remote);
    if (wait == AuthThrottle.REFUSED) {
      log.warn("client {}: too many failed authentications from its address, refused without checking; closing"
          + " the connection", client.address());
      refuse.accept(new Resp.Error("ERR too many failed authentications from " + remote.getHostAddress()
          + " (expected: fewer wrong passwords; try again in a few minutes); closing the connection"));
    } else if (wait > 0) {
      waiting = true;
      loop.schedule(() -> {
        waiting = false;
        later.run();
      }, wait, TimeUnit.NANOSECONDS);
    } else {
      now.run();
    }
  }

  /** After a command ran: counts and logs a wrong password if the client has more failures than {@code before}. */
  void ran(ClientState client, long failuresBefore) {
    if (client.authFailures() != failuresBefore) {
      int recent = throttle.failed(remote);
      log.warn("client {}: wrong password for user '{}' ({} failed authentications from {} recently)",
          client.address(), oneLine(client.lastFailedUser()), recent, remote.getHostAddress());
    }
  }

  /** Client-sent text for a log line: one line, at most 100 characters. */
  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String s = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return s.replaceAll("[\\p{Cntrl}]", "?");
  }
}
