package kv.broker.http;

/**
 * A request the API refuses before it reaches the engine: its HTTP status (400, 404, 405, 413, 415)
 * and the words of the {@code text/plain} answer (what was wrong and what is expected).
 */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  /** The methods a 405 names in its Allow header; null otherwise. */
  private final String allow;

  HttpError(int status, String message) {
    this(status, message, (Throwable) null);
  }

  HttpError(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.allow = null;
  }

  private HttpError(String message, String allow) {
    super(message);
    this.status = 405;
    this.allow = allow;
  }

  /** 405: {@code method} is not one of {@code allowed} (e.g. {@code GET, POST}) on {@code target}. */
  static HttpError notAllowed(String method, String target, String allowed) {
    return new HttpError("method " + UriPath.shown(method) + " not allowed on " + UriPath.shown(target)
        + " (expected: " + allowed + ")", allowed);
  }

  int status() {
    return status;
  }

  HttpReply reply() {
    HttpReply reply = HttpReply.text(status, getMessage());
    return allow == null ? reply : reply.with("Allow", allow);
  }
}
