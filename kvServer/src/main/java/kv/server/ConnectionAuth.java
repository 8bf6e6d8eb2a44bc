package kv.server;

import java.net.InetAddress;
import java.util.concurrent.ScheduledFuture;
import kv.resp.Request;
import kv.resp.RequestDecoder;
import kv.resp.RespLimits;
import kv.resp.connection.ClientState;
import kv.resp.connection.ConnectionCommands;
import kv.security.AuthThrottle;
import kv.security.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's side of authentication: which decoder its requests go through (small limits
 * until it is authenticated), the turn of its password attempts ({@link AuthThrottle}), the log
 * line and count of a wrong password, and whether it sits in the cluster's reserve (see
 * {@link ServerStats}). Used only on the connection's event-loop thread.
 */
final class ConnectionAuth {
  /*
   * Until the connection is authenticated its decoder takes at most PRE_AUTH_ARGS arguments of
   * PRE_AUTH_BYTES each (Redis's limits for unauthenticated clients: 10 and 16 KiB), so a stranger
   * costs little memory; the decoder is swapped between requests, when it holds nothing.
   */
  static final int PRE_AUTH_BYTES = 16 * 1024;
  static final int PRE_AUTH_ARGS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);

  private final Session session;
  private final InetAddress address;
  private final ServerStats stats;
  private final AuthThrottle throttle;
  private final RequestDecoder fullDecoder;
  private final int maxRequestBytes;
  private RequestDecoder decoder;
  private ScheduledFuture<?> reserveDeadline;
  private long failuresBefore;
  private String userBefore;

  ConnectionAuth(Session session, InetAddress address, ServerConfig config, ServerStats stats, AuthThrottle throttle,
      RequestDecoder fullDecoder) {
    this.session = session;
    this.address = address;
    this.stats = stats;
    this.throttle = throttle;
    this.fullDecoder = fullDecoder;
    this.maxRequestBytes = config.maxRequestBytes();
    this.decoder = session.client().authenticated() ? fullDecoder : preAuthDecoder();
  }

  RequestDecoder decoder() {
    return decoder;
  }

  /** The connection is in the cluster's reserve until it authenticates as cluster or {@code deadline} fires. */
  void reserve(ScheduledFuture<?> deadline) {
    this.reserveDeadline = deadline;
  }

  boolean reserved() {
    return reserveDeadline != null;
  }

  /**
   * Nanoseconds {@code request} must wait before it runs: 0 for anything but a password attempt
   * and for an attempt whose turn it is, {@link AuthThrottle#REFUSED} for one that would wait too long.
   */
  long wait(Request request) {
    return ConnectionCommands.isAuthAttempt(request) ? throttle.admit(address) : 0;
  }

  /** Before a request runs. */
  void before() {
    failuresBefore = session.client().authFailures();
    userBefore = session.client().user();
  }

  /** After it ran: counts and logs a wrong password, follows a change of user. */
  void after() {
    ClientState client = session.client();
    if (client.authFailures() != failuresBefore) {
      int recent = throttle.failed(address);
      LOG.warn("client {}: wrong password for user '{}' ({} failed authentications from {} recently)",
          session.remote(), Replies.quote(client.lastFailedUser()), recent, host());
    }
    if (client.user() != userBefore) { // AUTH, HELLO AUTH or RESET: the decoder and the slot follow
      boolean asCluster = Users.CLUSTER.equals(client.user());
      stats.classify(session, asCluster);
      if (reserveDeadline != null && asCluster) {
        reserveDeadline.cancel(false);
        reserveDeadline = null;
        LOG.info("client {} authenticated as cluster from the reserve", session.remote());
      }
      decoder = client.authenticated() ? fullDecoder : preAuthDecoder();
    }
  }

  String host() {
    return address.getHostAddress();
  }

  void release() {
    if (reserveDeadline != null) {
      reserveDeadline.cancel(false);
    }
  }

  private RequestDecoder preAuthDecoder() {
    int bytes = Math.min(PRE_AUTH_BYTES, maxRequestBytes);
    return new RequestDecoder(new RespLimits(bytes, bytes, PRE_AUTH_ARGS), DataCommands.RAW_LINE_COMMANDS);
  }
}
