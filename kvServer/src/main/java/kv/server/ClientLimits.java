package kv.server;

/**
 * The limits that protect a server from its clients (issue 17). Immutable.
 *
 * @param maxPendingRequestBytes bytes all partially received requests of the server may hold
 *     together; a connection whose partial request takes the total over is closed with an error
 * @param maxReplyBytes bytes of replies one client may leave unread (Redis's
 *     client-output-buffer-limit, hard); past it the connection is closed, and KEYS refuses a
 *     reply that would be larger
 * @param idleTimeoutSeconds close a connection that sent nothing and had nothing written for
 *     this long (Redis's {@code timeout}); 0: never
 * @param requestTimeoutSeconds close a connection whose request, once its first byte arrived, is
 *     not complete within this long (a client trickling bytes); 0: never
 */
public record ClientLimits(long maxPendingRequestBytes, long maxReplyBytes, int idleTimeoutSeconds,
    int requestTimeoutSeconds) {

  public static final long DEFAULT_MAX_PENDING_REQUEST_BYTES = 256L * 1024 * 1024;
  public static final long DEFAULT_MAX_REPLY_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

  /** 256 MiB of partial requests, 64 MiB of unread replies per client, no idle timeout, 60 s per request. */
  public static final ClientLimits DEFAULT = new ClientLimits(DEFAULT_MAX_PENDING_REQUEST_BYTES,
      DEFAULT_MAX_REPLY_BYTES, 0, DEFAULT_REQUEST_TIMEOUT_SECONDS);

  public ClientLimits {
    check("max-pending-request-bytes", maxPendingRequestBytes, 1024, Long.MAX_VALUE);
    check("max-reply-bytes", maxReplyBytes, 1024, Long.MAX_VALUE);
    check("idle-timeout", idleTimeoutSeconds, 0, 365L * 24 * 3600);
    check("request-timeout", requestTimeoutSeconds, 0, 365L * 24 * 3600);
  }

  public ClientLimits withMaxPendingRequestBytes(long n) {
    return new ClientLimits(n, maxReplyBytes, idleTimeoutSeconds, requestTimeoutSeconds);
  }

  public ClientLimits withMaxReplyBytes(long n) {
    return new ClientLimits(maxPendingRequestBytes, n, idleTimeoutSeconds, requestTimeoutSeconds);
  }

  public ClientLimits withIdleTimeoutSeconds(int seconds) {
    return new ClientLimits(maxPendingRequestBytes, maxReplyBytes, seconds, requestTimeoutSeconds);
  }

  public ClientLimits withRequestTimeoutSeconds(int seconds) {
    return new ClientLimits(maxPendingRequestBytes, maxReplyBytes, idleTimeoutSeconds, seconds);
  }

  private static void check(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
