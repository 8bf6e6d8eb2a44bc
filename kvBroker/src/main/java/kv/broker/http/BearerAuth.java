package kv.broker.http;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kv.security.AuthThrottle;
import kv.security.BearerToken;
import kv.security.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port's password: every request must carry {@code Authorization: Bearer PASSWORD} (the
 * clients' password), else it is answered 401 with {@code WWW-Authenticate: Bearer}. A request
 * that carries a password is a password attempt: it waits its turn from the {@link AuthThrottle}
 * (no wait unless its address recently sent wrong ones), and a wrong one is logged with the
 * address. Thread-safe.
 */
public final class BearerAuth {
  /*
   * Every request with a token asks the throttle, not only the wrong ones: otherwise a guesser
   * would learn a right guess from a fast answer and a wrong one from a slow one. A request
   * without the header costs nothing to check and reveals nothing, so it is answered at once.
   */
  private static final Logger log = LoggerFactory.getLogger(BearerAuth.class);
  static final String CHALLENGE = "Bearer realm=\"kvBroker\"";

  private final Users users;
  private final AuthThrottle throttle;

  /** @param users whose {@code default} password every request must carry */
  public BearerAuth(Users users, AuthThrottle.Policy throttle) {
    this.users = users;
    this.throttle = new AuthThrottle(throttle);
  }

  /**
   * The verdict on a request with the {@code Authorization} header {@code header} (null when
   * absent) from {@code remote}: completes with null when it may be served, else with the 401
   * answer; waits (on {@code timer}) for the throttle's turn. Never completes exceptionally.
   */
  CompletableFuture<HttpReply> check(String header, InetAddress remote, String client, ScheduledExecutorService timer) {
    byte[] token = BearerToken.of(header);
    if (token == null) {
      return CompletableFuture.completedFuture(HttpReply.text(401, "authentication required: this port has a password"
          + " (expected: the header Authorization: Bearer PASSWORD, the broker's --password-file or KV_PASSWORD)")
          .with("WWW-Authenticate", CHALLENGE));
    }
    long wait = throttle.admit(remote);
    if (wait == AuthThrottle.REFUSED) {
      log.warn("client {}: too many failed authentications from its address, refused without checking", client);
      return CompletableFuture.completedFuture(HttpReply.text(401, "too many failed authentications from "
          + remote.getHostAddress() + " (expected: fewer wrong passwords; try again in a few minutes)")
          .with("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\""));
    }
    if (wait == 0) {
      return CompletableFuture.completedFuture(verify(token, remote, client));
    }
    CompletableFuture<HttpReply> verdict = new CompletableFuture<>();
    timer.schedule(() -> verdict.complete(verify(token, remote, client)), wait, TimeUnit.NANOSECONDS);
    return verdict;
  }

  private HttpReply verify(byte[] token, InetAddress remote, String client) {
    if (users.authenticate(Users.DEFAULT, token) != null) {
      return null;
    }
    int recent = throttle.failed(remote);
    log.warn("client {}: wrong password in Authorization: Bearer ({} failed authentications from {} recently)",
        client, recent, remote.getHostAddress());
    return HttpReply.text(401, "wrong password (expected: Authorization: Bearer PASSWORD with the broker's clients'"
        + " password)").with("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
  }
}
